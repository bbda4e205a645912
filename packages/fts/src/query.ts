import { InvalidArgumentError, ParseError } from '@walrus/core';

/**
 * A parsed search query. A `term` is one bare word or quoted string as typed (`position` is its 0-based offset in
 * the query; quotes are removed and escapes resolved); `and` / `or` combine two or more nodes.
 */
export type QueryNode = { op: 'term'; text: string; position: number } | { op: 'and' | 'or'; children: QueryNode[] };

/** Options of {@link parseQuery}. */
export interface ParseQueryOptions {
  /** What two adjacent terms mean (`redis python`). Default `'and'`. */
  defaultConjunction?: 'and' | 'or';
}

type Lexeme = { kind: 'term' | 'and' | 'or' | '(' | ')'; pos: number; raw: string; text: string };

/** Deepest parenthesis nesting accepted: bounded so hostile input cannot exhaust the stack. */
export const MAX_QUERY_DEPTH = 64;

// A bare term: Unicode letters (with their combining marks), digits, `_`, `@` and `-`.
const TERM_CHAR = /[\p{L}\p{M}\p{N}_@-]/u;
const SPACE = /\s/u;

function lex(q: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (SPACE.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ kind: c, pos: i++, raw: c, text: c });
    } else if (c === '&' || c === '|') {
      out.push({ kind: c === '&' ? 'and' : 'or', pos: i++, raw: c, text: c });
    } else if (c === '"' || c === "'") {
      const start = i++;
      let text = '';
      for (;;) {
        if (i >= q.length) throw new ParseError(q, start, `a closing ${c} for the quote opened`);
        const d = q[i++];
        if (d === c) break;
        if (d === '\\') {
          if (i >= q.length) throw new ParseError(q, start, `a closing ${c} for the quote opened`);
          text += q[i++];
        } else text += d;
      }
      out.push({ kind: 'term', text, pos: start, raw: q.slice(start, i) });
    } else {
      const start = i;
      // Code points, not UTF-16 units: letters outside the BMP are one character.
      while (i < q.length) {
        const cp = String.fromCodePoint(q.codePointAt(i)!);
        if (!TERM_CHAR.test(cp)) break;
        i += cp.length;
      }
      if (i === start) throw new ParseError(q, start, `a term, a quoted string, AND, OR, &, |, ( or ) (not ${JSON.stringify(String.fromCodePoint(q.codePointAt(start)!))})`);
      const word = q.slice(start, i);
      const kind = word === 'AND' ? 'and' : word === 'OR' ? 'or' : 'term';
      out.push({ kind, pos: start, raw: word, text: word });
    }
  }
  return out;
}

function combine(op: 'and' | 'or', nodes: QueryNode[]): QueryNode {
  if (nodes.length === 1) return nodes[0];
  // Flatten nested nodes of the same operator: AND and OR are associative.
  return { op, children: nodes.flatMap((n) => (n.op === op ? n.children : [n])) };
}

class Parser {
  #i = 0;
  #depth = 0;
  constructor(
    readonly q: string,
    readonly lexemes: Lexeme[],
    readonly implicit: 'and' | 'or',
  ) {}

  #peek(): Lexeme | undefined {
    return this.lexemes[this.#i];
  }

  #at(l: Lexeme | undefined): number {
    return l ? l.pos : this.q.length;
  }

  #startsOperand(l: Lexeme | undefined): boolean {
    return l !== undefined && (l.kind === 'term' || l.kind === '(');
  }

  parse(): QueryNode {
    const node = this.#or();
    const rest = this.#peek();
    if (rest) throw new ParseError(this.q, rest.pos, rest.kind === ')' ? "the end of the query (this ')' closes no '(')" : 'the end of the query');
    return node;
  }

  #or(): QueryNode {
    const nodes = [this.#and()];
    for (;;) {
      const l = this.#peek();
      if (l?.kind === 'or') {
        this.#i++;
        nodes.push(this.#and());
      } else if (this.implicit === 'or' && this.#startsOperand(l)) {
        nodes.push(this.#and());
      } else break;
    }
    return combine('or', nodes);
  }

  #and(): QueryNode {
    const nodes = [this.#unary()];
    for (;;) {
      const l = this.#peek();
      if (l?.kind === 'and') {
        this.#i++;
        nodes.push(this.#unary());
      } else if (this.implicit === 'and' && this.#startsOperand(l)) {
        nodes.push(this.#unary());
      } else break;
    }
    return combine('and', nodes);
  }

  #unary(): QueryNode {
    const l = this.#peek();
    if (l?.kind === 'term') {
      this.#i++;
      return { op: 'term', text: l.text, position: l.pos };
    }
    if (l?.kind === '(') {
      if (this.#depth >= MAX_QUERY_DEPTH) throw new ParseError(this.q, l.pos, `at most ${MAX_QUERY_DEPTH} nested parentheses`);
      this.#i++;
      const inner = this.#peek();
      if (inner?.kind === ')') throw new ParseError(this.q, inner.pos, "a term, a quoted string or '(' inside the parentheses");
      this.#depth++;
      const node = this.#or();
      this.#depth--;
      const close = this.#peek();
      if (close?.kind !== ')') throw new ParseError(this.q, this.#at(close), `')' to close the '(' at position ${l.pos}`);
      this.#i++;
      return node;
    }
    const what = l === undefined ? 'the query ends here' : `found ${l.raw}`;
    throw new ParseError(this.q, this.#at(l), `a term, a quoted string or '(' (${what})`);
  }
}

/**
 * Parses walrus' query language: terms, `'…'` / `"…"` quoted strings (`\` escapes the next character), `AND` / `&`,
 * `OR` / `|` (upper-case whole words), parentheses, and adjacency meaning `defaultConjunction` (AND binds tighter
 * than OR). Returns `null` for an empty query. Malformed input (any other character, an unterminated quote,
 * unbalanced or empty parentheses, a dangling operator) throws {@link ParseError} with the 0-based `position` of
 * the problem and what was `expected` there.
 */
export function parseQuery(q: string, o: ParseQueryOptions = {}): QueryNode | null {
  if (typeof q !== 'string') throw new InvalidArgumentError(`a query must be a string, got ${typeof q}`, { field: 'query', value: q });
  const implicit = o.defaultConjunction ?? 'and';
  if (implicit !== 'and' && implicit !== 'or') throw new InvalidArgumentError("defaultConjunction must be 'and' or 'or'", { field: 'defaultConjunction', value: implicit });
  const lexemes = lex(q);
  if (lexemes.length === 0) return null;
  return new Parser(q, lexemes, implicit).parse();
}
