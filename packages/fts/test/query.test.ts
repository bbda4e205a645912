import { InvalidArgumentError, ParseError } from '@walrus/core';
import { parseQuery, type QueryNode } from '@walrus/fts';

/** The tree without positions, for compact expectations: terms as strings, nodes as [op, ...children]. */
type Shape = string | [string, ...Shape[]];
function shape(n: QueryNode | null): Shape | null {
  if (n === null) return null;
  return n.op === 'term' ? n.text : [n.op, ...n.children.map((c) => shape(c)!)];
}

function parseError(q: string, o?: { defaultConjunction?: 'and' | 'or' }): ParseError {
  try {
    parseQuery(q, o);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error(`expected a ParseError for ${JSON.stringify(q)}`);
}

describe('parseQuery', () => {
  it('returns null for an empty query', () => {
    expect(parseQuery('')).toBeNull();
    expect(parseQuery('  \t\n ')).toBeNull();
  });

  it('reads terms, AND / & / adjacency, OR / |, parentheses; AND binds tighter than OR', () => {
    expect(shape(parseQuery('redis'))).toBe('redis');
    expect(shape(parseQuery('redis python'))).toEqual(['and', 'redis', 'python']);
    expect(shape(parseQuery('redis AND python & walrus'))).toEqual(['and', 'redis', 'python', 'walrus']);
    expect(shape(parseQuery('redis OR python | walrus'))).toEqual(['or', 'redis', 'python', 'walrus']);
    expect(shape(parseQuery('a b OR c'))).toEqual(['or', ['and', 'a', 'b'], 'c']);
    expect(shape(parseQuery('a | b & c'))).toEqual(['or', 'a', ['and', 'b', 'c']]);
    expect(shape(parseQuery('python AND (redis OR valkey)'))).toEqual(['and', 'python', ['or', 'redis', 'valkey']]);
    expect(shape(parseQuery('((a))'))).toBe('a');
    expect(shape(parseQuery('(a AND b) AND c'))).toEqual(['and', 'a', 'b', 'c']);
    expect(shape(parseQuery('a&b|c'))).toEqual(['or', ['and', 'a', 'b'], 'c']);
  });

  it('treats only upper-case whole words as operators', () => {
    expect(shape(parseQuery('cats and dogs'))).toEqual(['and', 'cats', 'and', 'dogs']);
    expect(shape(parseQuery('ANDROID ORACLE'))).toEqual(['and', 'ANDROID', 'ORACLE']);
    expect(shape(parseQuery('"AND" OR \'OR\''))).toEqual(['or', 'AND', 'OR']);
  });

  it('makes adjacency an OR with defaultConjunction: "or"', () => {
    expect(shape(parseQuery('a b', { defaultConjunction: 'or' }))).toEqual(['or', 'a', 'b']);
    expect(shape(parseQuery('a b AND c', { defaultConjunction: 'or' }))).toEqual(['or', 'a', ['and', 'b', 'c']]);
    expect(shape(parseQuery('(a b) c', { defaultConjunction: 'or' }))).toEqual(['or', 'a', 'b', 'c']);
  });

  it('reads quoted strings with backslash escapes and keeps positions', () => {
    const q = `walrus "say \\"hi\\" now" 'it\\'s'`;
    const n = parseQuery(q)!;
    expect(shape(n)).toEqual(['and', 'walrus', 'say "hi" now', "it's"]);
    expect(n).toEqual({
      op: 'and',
      children: [
        { op: 'term', text: 'walrus', position: 0 },
        { op: 'term', text: 'say "hi" now', position: 7 },
        { op: 'term', text: "it's", position: q.indexOf("'") },
      ],
    });
  });

  it('accepts Unicode letters, digits, _ @ - in bare terms', () => {
    expect(shape(parseQuery('café naïve 東京 𝒳yz e-mail user@host snake_case 42'))).toEqual(
      ['and', 'café', 'naïve', '東京', '𝒳yz', 'e-mail', 'user@host', 'snake_case', '42'],
    );
  });

  it('points at malformed input with ParseError (position, expected) instead of dropping the rest', () => {
    const cases: [string, number, RegExp][] = [
      ['redis AND', 9, /term/],
      ['AND redis', 0, /term/],
      ['redis OR OR python', 9, /found OR/],
      ['a & | b', 4, /found \|/],
      ['(redis', 6, /'\)' to close the '\(' at position 0/],
      ['(a OR (b c)', 11, /close the '\(' at position 0/],
      ['redis) python', 5, /closes no/],
      ['()', 1, /inside the parentheses/],
      ['a ( ) b', 4, /inside the parentheses/],
      ['redis, python', 5, /not ","/],
      ['node.js', 4, /not "\."/],
      ['"unterminated', 0, /closing "/],
      ["ok 'also \\'unterminated", 3, /closing '/],
      ['"ends in backslash\\', 0, /closing "/],
    ];
    for (const [q, position, expected] of cases) {
      const err = parseError(q);
      expect({ q, position: err.position }).toEqual({ q, position });
      expect(err.input).toBe(q);
      expect(err.expected).toMatch(expected);
      expect(err.message).toContain(`at position ${position}`);
      expect(err.code).toBe('ERR_PARSE');
    }
  });

  it('bounds nesting depth with a ParseError instead of overflowing the stack', () => {
    const deep = `${'('.repeat(100_000)}a${')'.repeat(100_000)}`;
    const err = parseError(deep);
    expect(err.position).toBe(64);
    expect(shape(parseQuery(`${'('.repeat(64)}a${')'.repeat(64)}`))).toBe('a');
  });

  it('rejects non-string queries and unknown conjunctions with InvalidArgumentError', () => {
    expect(() => parseQuery(7 as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => parseQuery('a', { defaultConjunction: 'xor' as 'and' })).toThrow(InvalidArgumentError);
  });
});

describe('parseQuery on random input (property)', () => {
  // A small seeded generator (mulberry32) so failures reproduce.
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const pieces = [
    'redis', 'python', 'walrus', 'and', 'or', 'AND', 'OR', '&', '|', '(', ')', '((', '))', '"quoted words"', "'single'",
    '"open', "'", '"', '\\', ',', '.', '-', '@', '_', '!', '*', 'é', '東京', '𝒳', '😀', ' ', '  ', '\t', '\n',
    '"esc\\"aped"', 'AN', 'ORR', '42', '&&', '||', '""',
  ];

  function serialize(n: QueryNode): string {
    if (n.op === 'term') return `"${n.text.replace(/["\\]/g, '\\$&')}"`;
    return `(${n.children.map(serialize).join(n.op === 'and' ? ' AND ' : ' OR ')})`;
  }

  function check(q: string, conj: 'and' | 'or'): 'parsed' | 'error' {
    let node: QueryNode | null;
    try {
      node = parseQuery(q, { defaultConjunction: conj });
    } catch (err) {
      // Malformed input raises ParseError and nothing else, pointing inside the input.
      expect(err).toBeInstanceOf(ParseError);
      const e = err as ParseError;
      expect(e.input).toBe(q);
      expect(e.position).toBeGreaterThanOrEqual(0);
      expect(e.position).toBeLessThanOrEqual(q.length);
      return 'error';
    }
    if (node === null) {
      expect(q.trim()).toBe('');
      return 'parsed';
    }
    // A parsed tree survives a round trip through its canonical text, and every term's position is where it starts.
    expect(shape(parseQuery(serialize(node)))).toEqual(shape(node));
    const terms = (n: QueryNode): QueryNode[] => (n.op === 'term' ? [n] : n.children.flatMap(terms));
    for (const t of terms(node)) if (t.op === 'term' && !['"', "'"].includes(q[t.position])) expect(q.startsWith(t.text, t.position)).toBe(true);
    return 'parsed';
  }

  it('either parses or raises ParseError for 3000 random token streams, never hangs or crashes', () => {
    const next = rng(20240601);
    const outcomes = { parsed: 0, error: 0 };
    const started = Date.now();
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(next() * 12);
      const parts: string[] = [];
      for (let j = 0; j < n; j++) parts.push(pieces[Math.floor(next() * pieces.length)]);
      const sep = next() < 0.5 ? ' ' : '';
      outcomes[check(parts.join(sep), next() < 0.8 ? 'and' : 'or')]++;
    }
    // Both outcomes occur, so the generator exercises the grammar and its errors.
    expect(outcomes.parsed).toBeGreaterThan(300);
    expect(outcomes.error).toBeGreaterThan(300);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('either parses or raises ParseError for random code points', () => {
    const next = rng(7);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(next() * 20);
      let q = '';
      for (let j = 0; j < len; j++) {
        const r = next();
        q += r < 0.6 ? String.fromCharCode(32 + Math.floor(next() * 95)) : r < 0.9 ? String.fromCodePoint(0xa0 + Math.floor(next() * 0x3000)) : String.fromCodePoint(0x1f600 + Math.floor(next() * 80));
      }
      check(q, 'and');
    }
  });

  it('handles long inputs in linear time', () => {
    const q = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? 'OR' : `w${i}`)).join(' ').replace(/ OR$/, '');
    const started = Date.now();
    const n = parseQuery(q)!;
    expect(n.op === 'or' && n.children.length).toBe(10_000);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
