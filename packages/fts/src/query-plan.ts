import type { QueryNode } from './query';
import type { Tokenizer } from './tokenizer';

/** A query reduced to index tokens: a token's ZSET, or the intersection / union of sub-plans. */
export type QueryPlan = { op: 'token'; token: string } | { op: 'and' | 'or'; children: QueryPlan[] };

function combine(op: 'and' | 'or', children: QueryPlan[]): QueryPlan | null {
  if (children.length === 0) return null;
  if (children.length === 1) return children[0];
  return { op, children: children.flatMap((c) => (c.op === op ? c.children : [c])) };
}

/**
 * Reduces a parsed query to tokens: a term becomes the AND of its tokens (quotes do not mean adjacency), a term
 * without tokens (a stopword) is dropped, an AND / OR left with no children is dropped too. `null`: nothing to
 * search for.
 */
export function planQuery(node: QueryNode, tokenizer: Tokenizer): QueryPlan | null {
  if (node.op === 'term') return combine('and', [...tokenizer.tokenize(node.text).keys()].map((token) => ({ op: 'token', token })));
  return combine(
    node.op,
    node.children.map((c) => planQuery(c, tokenizer)).filter((p): p is QueryPlan => p !== null),
  );
}
