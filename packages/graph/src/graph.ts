import { InvalidArgumentError, WrongTypeError, isReplyError, type Arg, type Walrus } from '@walrus/core';
import { checkTerm, membersOf, parseMember, prefixFor, type Triple } from './hexastore';
import { Variable } from './variable';

/** A value or a variable in a {@link Graph.search} condition. */
export type Term = string | Variable;

/** One clause of a search: a pattern whose parts are values or variables. */
export type Condition = { s: Term; p: Term; o: Term } | readonly [Term, Term, Term];

/** What {@link Graph.storeMany} takes: objects or `[s, p, o]` tuples. */
export type TripleInput = Triple | readonly [string, string, string];

/** Options of {@link Graph.query}. */
export interface QueryOptions {
  /** Members read per ZRANGE (default 1000). */
  pageSize?: number;
  /** Ends the iteration (before the next page) once aborted. */
  signal?: AbortSignal;
}

const FIELDS = ['s', 'p', 'o'] as const;
const BATCH = 1000;
// Bound values up to this many are substituted into a condition without first counting the pattern.
const SUBSTITUTE_ALWAYS = 64;
const MAX_BYTE = Buffer.from([0xff]);

function tripleOf(t: TripleInput, where: string): Triple {
  if (Array.isArray(t)) {
    if (t.length !== 3) throw new InvalidArgumentError(`${where} must have exactly three parts (s, p, o)`, { field: 'triple', value: t });
    return { s: checkTerm(`${where}.s`, t[0]), p: checkTerm(`${where}.p`, t[1]), o: checkTerm(`${where}.o`, t[2]) };
  }
  if (t === null || typeof t !== 'object') throw new InvalidArgumentError(`${where} must be { s, p, o } or [s, p, o]`, { field: 'triple', value: t });
  const o = t as Triple;
  return { s: checkTerm(`${where}.s`, o.s), p: checkTerm(`${where}.p`, o.p), o: checkTerm(`${where}.o`, o.o) };
}

function conditionOf(c: Condition, i: number): Record<'s' | 'p' | 'o', Term> {
  const parts = Array.isArray(c) ? c : FIELDS.map((f) => (c as Record<string, Term> | null)?.[f]);
  if (parts.length !== 3) throw new InvalidArgumentError(`condition ${i} must have exactly three parts (s, p, o)`, { field: 'condition', value: c });
  const out = {} as Record<'s' | 'p' | 'o', Term>;
  FIELDS.forEach((f, j) => {
    const term = parts[j] as unknown;
    out[f] = term instanceof Variable ? term : checkTerm(`condition ${i}.${f}`, term);
  });
  return out;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * A hexastore of subject-predicate-object triples in one sorted set (walrus' layout: every triple is stored as
 * `spo::S::P::O`, `pos::P::O::S` and `osp::O::S::P` with score 0), queried by any combination of s, p and o, and
 * searched with variables across several clauses.
 *
 * ```ts
 * const g = new Graph(db, 'people'), X = g.v('X');
 * await g.storeMany([['charlie', 'friends', 'huey'], ['huey', 'lives', 'Kansas']]);
 * await g.search({ s: 'charlie', p: 'friends', o: X }, { s: X, p: 'lives', o: 'Kansas' }); // { X: Set { 'huey' } }
 * ```
 */
export class Graph {
  /** The sorted set holding the graph: `<prefix><name>` (walrus' name, in both hash-tag modes). */
  readonly key: string;
  readonly #db: Walrus;

  /** Names the graph; does no I/O. */
  constructor(db: Walrus, name: string) {
    if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('a graph name must be a non-empty string', { field: 'name', value: name });
    this.#db = db;
    this.key = db.key(name);
  }

  /** A named variable for {@link Graph.search} (walrus' `graph.v.X`). */
  v(name: string): Variable {
    return new Variable(name);
  }

  /** Deletes the whole graph; true when there was one. One round trip. */
  async clear(): Promise<boolean> {
    return (await this.#db.command<number>(['DEL', this.key])) === 1;
  }

  /** Stores one triple (its three members in one ZADD). One round trip. */
  async store(s: string, p: string, o: string): Promise<void> {
    const members = membersOf(tripleOf([s, p, o], 'triple'));
    await this.#db.command(['ZADD', this.key, ...members.flatMap((m) => ['0', m])], { type: 'zset' });
  }

  /** Removes one triple; true when it was stored. One round trip. */
  async delete(s: string, p: string, o: string): Promise<boolean> {
    const members = membersOf(tripleOf([s, p, o], 'triple'));
    return (await this.#db.command<number>(['ZREM', this.key, ...members], { type: 'zset' })) > 0;
  }

  /**
   * Stores many triples atomically in one round trip (one ZADD per 1000 triples, in one MULTI when there are
   * more). Every triple is checked before anything is sent. Returns how many were not stored before.
   */
  async storeMany(triples: Iterable<TripleInput>): Promise<number> {
    if (triples === null || typeof (triples as Iterable<TripleInput>)?.[Symbol.iterator] !== 'function')
      throw new InvalidArgumentError('storeMany() takes an iterable of triples', { field: 'triples', value: triples });
    const all: Triple[] = [];
    for (const t of triples) all.push(tripleOf(t, `triple ${all.length}`));
    if (all.length === 0) return 0;
    const commands: Arg[][] = [];
    for (let i = 0; i < all.length; i += BATCH)
      commands.push(['ZADD', this.key, ...all.slice(i, i + BATCH).flatMap((t) => membersOf(t).flatMap((m) => ['0', m]))]);
    let added: number;
    if (commands.length === 1) {
      added = await this.#db.command<number>(commands[0], { type: 'zset' });
    } else {
      const tx = this.#db.transaction(this.key);
      for (const c of commands) tx.command(c);
      try {
        added = (await tx.exec()).reduce<number>((sum, n) => sum + Number(n), 0);
      } catch (err) {
        throw await this.#wrongType(err);
      }
    }
    return Math.round(added / 3);
  }

  /**
   * Iterates the triples matching `pattern` (any combination of `s`, `p`, `o`; none = every triple). All three
   * given: one ZSCORE. Otherwise the matching permutation is read in lexical order, `pageSize` members per
   * round trip.
   */
  async *query(pattern: Partial<Triple> = {}, o: QueryOptions = {}): AsyncIterableIterator<Triple> {
    if (pattern === null || typeof pattern !== 'object') throw new InvalidArgumentError('query() takes a { s?, p?, o? } pattern', { field: 'pattern', value: pattern });
    const pageSize = o.pageSize ?? 1000;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new InvalidArgumentError(`pageSize must be a positive integer, got ${String(pageSize)}`, { field: 'pageSize', value: pageSize });
    const q: Partial<Triple> = {};
    for (const f of FIELDS) if (pattern[f] != null) q[f] = checkTerm(f, pattern[f]);
    if (o.signal?.aborted) return;
    if (q.s !== undefined && q.p !== undefined && q.o !== undefined) {
      const t = q as Triple;
      const score = await this.#db.command(['ZSCORE', this.key, membersOf(t)[0]], { type: 'zset', readonly: true });
      if (score !== null) yield { s: t.s, p: t.p, o: t.o };
      return;
    }
    const prefix = `${prefixFor(q)}::`;
    const end = Buffer.concat([Buffer.from(`(${prefix}`), MAX_BYTE]);
    let start: Arg = `[${prefix}`;
    for (;;) {
      if (o.signal?.aborted) return;
      const page: string[] = await this.#db.command<string[]>(['ZRANGE', this.key, start, end, 'BYLEX', 'LIMIT', '0', String(pageSize)], { type: 'zset', readonly: true });
      for (const member of page) {
        const t = parseMember(String(member));
        if (t) yield t;
      }
      if (page.length < pageSize) return;
      start = `(${page[page.length - 1]}`;
    }
  }

  /**
   * Finds the values of the variables that satisfy every condition (walrus' search). Conditions run in order;
   * rows that contradict values already bound (or give one variable two values in one row) are dropped, and each
   * variable's set is intersected with what earlier conditions allowed. A condition without variables must hold,
   * or every set is empty. A condition with a variable already bound to a few values (up to 64, or fewer than the
   * triples its pattern matches) queries those values one by one, in one pipelined round trip, instead of reading
   * the whole pattern.
   */
  async search(...conditions: Condition[]): Promise<Record<string, Set<string>>> {
    const parsed = conditions.map(conditionOf);
    const bound = new Map<string, Set<string>>();
    const names = new Set(parsed.flatMap((c) => FIELDS.flatMap((f) => (c[f] instanceof Variable ? [c[f].name] : []))));
    for (const c of parsed) {
      const vars = FIELDS.flatMap((f) => (c[f] instanceof Variable ? [[f, (c[f] as Variable).name] as const] : []));
      const pattern: Partial<Triple> = {};
      for (const f of FIELDS) if (typeof c[f] === 'string') pattern[f] = c[f];
      if (vars.length === 0) {
        const found = await collect(this.query(pattern));
        if (found.length === 0) return Object.fromEntries([...names].map((n) => [n, new Set<string>()]));
        continue;
      }
      const seen = new Map<string, Set<string>>(vars.map(([, n]) => [n, new Set<string>()]));
      for (const row of await this.#rows(pattern, vars, bound)) {
        const values = new Map<string, string>();
        const ok = vars.every(([f, n]) => {
          const v = row[f];
          if (values.has(n) && values.get(n) !== v) return false;
          values.set(n, v);
          return !bound.has(n) || bound.get(n)!.has(v);
        });
        if (ok) for (const [n, v] of values) seen.get(n)!.add(v);
      }
      for (const [n, values] of seen) bound.set(n, bound.has(n) ? new Set([...bound.get(n)!].filter((v) => values.has(v))) : values);
    }
    return Object.fromEntries(bound);
  }

  /** The rows of one condition: its pattern, or, when a bound variable has fewer values, one query per value. */
  async #rows(pattern: Partial<Triple>, vars: readonly (readonly ['s' | 'p' | 'o', string])[], bound: Map<string, Set<string>>): Promise<Triple[]> {
    let best: string | undefined;
    for (const [, n] of vars) if (bound.has(n) && (best === undefined || bound.get(n)!.size < bound.get(best)!.size)) best = n;
    if (best !== undefined) {
      const candidates = bound.get(best)!;
      if (candidates.size === 0) return [];
      // A few values are always worth querying one by one (one pipelined round trip); for more, count the pattern.
      if (candidates.size <= SUBSTITUTE_ALWAYS || candidates.size < (await this.#count(pattern))) {
        const fields = vars.filter(([, n]) => n === best).map(([f]) => f);
        const pages = await Promise.all([...candidates].map((v) => collect(this.query({ ...pattern, ...Object.fromEntries(fields.map((f) => [f, v])) }))));
        return pages.flat();
      }
    }
    return collect(this.query(pattern));
  }

  /** How many triples match a partial pattern (ZLEXCOUNT, O(log n)). */
  async #count(pattern: Partial<Triple>): Promise<number> {
    const prefix = `${prefixFor(pattern)}::`;
    return this.#db.command<number>(['ZLEXCOUNT', this.key, `[${prefix}`, Buffer.concat([Buffer.from(`(${prefix}`), MAX_BYTE])], { type: 'zset', readonly: true });
  }

  async #wrongType(err: unknown): Promise<unknown> {
    if (!isReplyError(err, 'WRONGTYPE')) return err;
    const actual = await this.#db.command<string>(['TYPE', this.key]);
    return new WrongTypeError(this.key, 'zset', actual, { cause: err });
  }
}
