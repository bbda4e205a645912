import { InvalidArgumentError } from '@walrus/core';

/** The operators of query expressions. */
export type ExprOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'between' | 'match' | 'search' | 'and' | 'or';

/**
 * A query condition, made by a field's `eq/ne/lt/le/gt/ge/between/match/search` and combined with {@link and} /
 * {@link or}. Opaque: only the model that made it can run it.
 */
export interface Expr {
  /** The operator at the root of the expression. */
  readonly op: ExprOp;
}

/** A sort order, made by a field's `asc()` / `desc()`. */
export interface Order {
  /** The field to sort by. */
  readonly field: string;
  /** Ascending or descending. */
  readonly direction: 'asc' | 'desc';
}

/** A full-text condition tree: a token, or an AND / OR of subtrees. */
export type TokenTree = { op: 'token'; token: string } | { op: 'and' | 'or'; children: TokenTree[] };

/** @internal The node behind each {@link Expr}. */
export type ExprNode =
  | { op: 'eq' | 'ne'; owner: object; field: string; text: string }
  | { op: 'lt' | 'le' | 'gt' | 'ge' | 'between'; owner: object; field: string; min: string; max: string }
  | { op: 'match' | 'search'; owner: object; field: string; tree: TokenTree | null; all: boolean }
  | { op: 'and' | 'or'; children: ExprNode[] };

/** @internal An {@link Order} with the model that made it. */
export type OrderNode = Order & { owner: object };

const NODES = new WeakSet<object>();

/** @internal Registers a node so only expressions made by this package are accepted. */
export function expr<N extends ExprNode>(node: N): N & Expr {
  const frozen = Object.freeze(node);
  NODES.add(frozen);
  return frozen as N & Expr;
}

/** @internal The node behind an expression, or an InvalidArgumentError. */
export function nodeOf(e: unknown, what = 'where'): ExprNode {
  if (e === null || typeof e !== 'object' || !NODES.has(e)) {
    throw new InvalidArgumentError(`${what} must be an expression made by a model field (User.fields.name.eq(…)) or and()/or()`, { field: what, value: e });
  }
  return e as ExprNode;
}

function combine(op: 'and' | 'or', e: Expr[]): Expr {
  if (e.length === 0) throw new InvalidArgumentError(`${op}() needs at least one expression`, { field: op, value: e });
  const children = e.map((x) => nodeOf(x, op)).flatMap((n) => (n.op === op ? n.children : [n]));
  return children.length === 1 ? (children[0] as Expr) : expr({ op, children });
}

/** True for records matching every expression (Python's `&`). */
export function and(...e: Expr[]): Expr {
  return combine('and', e);
}

/** True for records matching any of the expressions (Python's `|`). */
export function or(...e: Expr[]): Expr {
  return combine('or', e);
}
