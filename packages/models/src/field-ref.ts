import { InvalidArgumentError } from '@walrus/core';
import { parseQuery, type QueryNode } from '@walrus/fts';
import { expr, type Expr, type Order, type OrderNode, type TokenTree } from './expression';
import type { ModelRuntime } from './runtime';
import type { ValueSpec } from './schema';

/**
 * A model field in query position: `User.fields.dob.le(date)`. `eq/ne` need an index, ranges an indexed integer,
 * float, autoIncrement, dateTime or date field, `match/search` a full-text (`fts`) field; misuse throws
 * `InvalidArgumentError` when the expression is made.
 */
export interface FieldRef<T> {
  /** The field's name. */
  readonly name: string;
  /** Records whose value equals `v` (the field's absolute index). */
  eq(v: T): Expr;
  /** Records whose value is not `v` (including records without a value). */
  ne(v: T): Expr;
  /** Records whose value is below `v`. */
  lt(v: T): Expr;
  /** Records whose value is at most `v`. */
  le(v: T): Expr;
  /** Records whose value is above `v`. */
  gt(v: T): Expr;
  /** Records whose value is at least `v`. */
  ge(v: T): Expr;
  /** Records whose value is between `lo` and `hi`, both included. */
  between(lo: T, hi: T): Expr;
  /** Records whose text contains every word of `text` (after stemming and stopwords), best matches first. */
  match(text: string): Expr;
  /** Records matching a search query (`python AND (redis OR walrus)`, the `@walrus/fts` grammar), best first. */
  search(q: string, o?: { defaultConjunction?: 'and' | 'or' }): Expr;
  /** Ascending order by this field. */
  asc(): Order;
  /** Descending order by this field. */
  desc(): Order;
}

function and(children: TokenTree[]): TokenTree | null {
  if (children.length === 0) return null;
  return children.length === 1 ? children[0] : { op: 'and', children };
}

/** Makes the query handle of one value field. */
export function fieldRef(rt: ModelRuntime, spec: ValueSpec): FieldRef<unknown> {
  const where = `${rt.name}.${spec.name}`;
  const need = (what: 'index' | 'range' | 'fts') => {
    const ok = what === 'index' ? spec.field.index : what === 'range' ? spec.field.index && spec.kind.scalar : spec.field.fts;
    if (ok) return;
    const message = {
      index: `${where} has no index; declare it with { index: true } to use eq/ne`,
      range: `${where} has no range index; ranges need an indexed integer, float, autoIncrement, dateTime or date field`,
      fts: `${where} has no full-text index; declare it as text({ fts: true }) to use match/search`,
    }[what];
    throw new InvalidArgumentError(message, { field: spec.name });
  };
  const text = (v: unknown) => String(rt.encodeValue(spec, v));
  const equality = (op: 'eq' | 'ne') => (v: unknown) => {
    need('index');
    return expr({ op, owner: rt, field: spec.name, text: text(v) });
  };
  const range = (op: 'lt' | 'le' | 'gt' | 'ge', bound: (s: string) => [string, string]) => (v: unknown) => {
    need('range');
    const [min, max] = bound(text(v));
    return expr({ op, owner: rt, field: spec.name, min, max });
  };
  const tokens = (s: string): TokenTree | null => and([...rt.tokenizer(spec).tokenize(s).keys()].map((token) => ({ op: 'token', token })));
  const tree = (n: QueryNode): TokenTree | null => {
    if (n.op === 'term') return tokens(n.text);
    const children = n.children.map(tree).filter((c): c is TokenTree => c !== null);
    if (n.op === 'and') return and(children);
    return children.length === 0 ? null : children.length === 1 ? children[0] : { op: 'or', children };
  };
  const order = (direction: 'asc' | 'desc'): Order => Object.freeze<OrderNode>({ field: spec.name, direction, owner: rt });
  const checkText = (what: string, v: unknown) => {
    if (typeof v !== 'string') throw new InvalidArgumentError(`${where}.${what}() takes a string, got ${typeof v}`, { field: spec.name, value: v });
  };
  return Object.freeze({
    name: spec.name,
    eq: equality('eq'),
    ne: equality('ne'),
    lt: range('lt', (s) => ['-inf', `(${s}`]),
    le: range('le', (s) => ['-inf', s]),
    gt: range('gt', (s) => [`(${s}`, '+inf']),
    ge: range('ge', (s) => [s, '+inf']),
    between(lo: unknown, hi: unknown) {
      need('range');
      return expr({ op: 'between', owner: rt, field: spec.name, min: text(lo), max: text(hi) });
    },
    match(s: string) {
      need('fts');
      checkText('match', s);
      return expr({ op: 'match', owner: rt, field: spec.name, tree: tokens(s), all: false });
    },
    search(q: string, o: { defaultConjunction?: 'and' | 'or' } = {}) {
      need('fts');
      checkText('search', q);
      const parsed = parseQuery(q, o);
      return expr({ op: 'search', owner: rt, field: spec.name, tree: parsed ? tree(parsed) : null, all: parsed === null });
    },
    asc: () => order('asc'),
    desc: () => order('desc'),
  });
}
