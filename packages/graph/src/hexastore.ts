import { InvalidArgumentError } from '@walrus/core';

/** A subject-predicate-object relationship. */
export interface Triple {
  s: string;
  p: string;
  o: string;
}

/** The three orders a triple is stored in (walrus' names). */
export type Permutation = 'spo' | 'pos' | 'osp';

const SEPARATOR = '::';
// With the u flag a surrogate pair is one code point, so this matches unpaired surrogates only.
const LONE_SURROGATE = /\p{Cs}/u;
const ORDER: Record<Permutation, readonly (keyof Triple)[]> = { spo: ['s', 'p', 'o'], pos: ['p', 'o', 's'], osp: ['o', 's', 'p'] };

/**
 * Escapes a value for a member: values that could be confused with the `::` separator (containing `\` or `::`,
 * or starting or ending with `:`) get `\` → `\\` and `:` → `\:`; every other value is stored verbatim, byte for
 * byte as walrus stores it.
 */
export function escapeValue(v: string): string {
  if (!v.includes('\\') && !v.includes(SEPARATOR) && !v.startsWith(':') && !v.endsWith(':')) return v;
  return v.replace(/[\\:]/g, '\\$&');
}

/** Checks one term: a non-empty, well-formed (no lone surrogates) string. */
export function checkTerm(field: string, v: unknown): string {
  if (typeof v !== 'string' || v === '') throw new InvalidArgumentError(`${field} must be a non-empty string, got ${v === '' ? 'an empty string' : typeof v}`, { field, value: v });
  if (LONE_SURROGATE.test(v)) throw new InvalidArgumentError(`${field} contains a lone UTF-16 surrogate, which cannot be stored as UTF-8`, { field, value: v });
  return v;
}

/** The three sorted-set members of a triple: `spo::S::P::O`, `pos::P::O::S`, `osp::O::S::P`. */
export function membersOf(t: Triple): [string, string, string] {
  const s = escapeValue(t.s);
  const p = escapeValue(t.p);
  const o = escapeValue(t.o);
  return [`spo::${s}::${p}::${o}`, `pos::${p}::${o}::${s}`, `osp::${o}::${s}::${p}`];
}

/**
 * The member prefix that finds every triple matching a partial pattern: s,p → `spo::s::p`, s,o → `osp::o::s`,
 * p,o → `pos::p::o`, s → `spo::s`, p → `pos::p`, o → `osp::o`, none → `spo`.
 */
export function prefixFor(q: Partial<Triple>): string {
  const perm: Permutation = q.s !== undefined ? (q.p !== undefined || q.o === undefined ? 'spo' : 'osp') : q.p !== undefined ? 'pos' : q.o !== undefined ? 'osp' : 'spo';
  const parts: string[] = [perm];
  for (const field of ORDER[perm]) {
    const v = q[field];
    if (v === undefined) break;
    parts.push(escapeValue(v));
  }
  return parts.join(SEPARATOR);
}

/** Splits a member into its permutation and values, undoing the escaping. Returns undefined for foreign members. */
export function parseMember(member: string): Triple | undefined {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < member.length; i++) {
    const c = member[i];
    if (c === '\\' && i + 1 < member.length) {
      current += member[++i];
    } else if (c === ':' && member[i + 1] === ':') {
      parts.push(current);
      current = '';
      i++;
    } else {
      current += c;
    }
  }
  parts.push(current);
  if (parts.length !== 4 || !Object.hasOwn(ORDER, parts[0])) return undefined;
  const order = ORDER[parts[0] as Permutation];
  const t = {} as Triple;
  for (let i = 0; i < 3; i++) t[order[i]] = parts[i + 1];
  return t;
}
