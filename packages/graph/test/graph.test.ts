import { InvalidArgumentError, WrongTypeError, replyPairs } from '@walrus/core';
import { Graph, Variable, variable, type Condition, type Triple } from '@walrus/graph';
import { describeTopologies } from '@walrus/testing';

async function all(it: AsyncIterable<Triple>): Promise<Triple[]> {
  const out: Triple[] = [];
  for await (const t of it) out.push(t);
  return out;
}
const sorted = (ts: Triple[]) => ts.map((t) => `${t.s}|${t.p}|${t.o}`).sort();

/** The documented search rules, evaluated in memory. */
function reference(triples: Triple[], conditions: { s: string | Variable; p: string | Variable; o: string | Variable }[]): Record<string, Set<string>> {
  const bound = new Map<string, Set<string>>();
  const names = new Set(conditions.flatMap((c) => (['s', 'p', 'o'] as const).flatMap((f) => (c[f] instanceof Variable ? [(c[f] as Variable).name] : []))));
  for (const c of conditions) {
    const vars = (['s', 'p', 'o'] as const).filter((f) => c[f] instanceof Variable);
    const rows = triples.filter((t) => (['s', 'p', 'o'] as const).every((f) => c[f] instanceof Variable || c[f] === t[f]));
    if (vars.length === 0) {
      if (rows.length === 0) return Object.fromEntries([...names].map((n) => [n, new Set<string>()]));
      continue;
    }
    const seen = new Map<string, Set<string>>();
    for (const f of vars) seen.set((c[f] as Variable).name, new Set());
    for (const row of rows) {
      const vals = new Map<string, string>();
      let ok = true;
      for (const f of vars) {
        const n = (c[f] as Variable).name;
        if ((vals.has(n) && vals.get(n) !== row[f]) || (bound.has(n) && !bound.get(n)!.has(row[f]))) ok = false;
        vals.set(n, row[f]);
      }
      if (ok) for (const [n, v] of vals) seen.get(n)!.add(v);
    }
    for (const [n, vs] of seen) bound.set(n, bound.has(n) ? new Set([...bound.get(n)!].filter((v) => vs.has(v))) : vs);
  }
  return Object.fromEntries(bound);
}

describeTopologies('Graph', (t) => {
  const people = async () => {
    const graph = new Graph(t.db, `people-${Math.random().toString(36).slice(2)}`);
    await graph.store('charlie', 'friends', 'huey');
    await graph.storeMany([
      ['charlie', 'friends', 'zaizee'],
      ['charlie', 'friends', 'nuggie'],
    ]);
    await graph.storeMany([
      ['huey', 'lives', 'Kansas'],
      ['zaizee', 'lives', 'Missouri'],
      ['nuggie', 'lives', 'Kansas'],
      ['mickey', 'lives', 'Kansas'],
    ]);
    return graph;
  };

  it("answers the documentation's search: which of charlie's friends live in Kansas", async () => {
    const graph = await people();
    const X = graph.v('X');
    expect(await graph.search({ s: 'charlie', p: 'friends', o: X }, { s: X, p: 'lives', o: 'Kansas' })).toEqual({ X: new Set(['huey', 'nuggie']) });
  });

  it("lists charlie's friends with query(s, p) and who lives in Kansas with query(p, o)", async () => {
    const graph = await people();
    expect((await all(graph.query({ s: 'charlie', p: 'friends' }))).map((r) => r.o).sort()).toEqual(['huey', 'nuggie', 'zaizee']);
    expect((await all(graph.query({ p: 'lives', o: 'Kansas' }))).map((r) => r.s).sort()).toEqual(['huey', 'mickey', 'nuggie']);
  });

  it('stores each triple as three members of one sorted set, named and laid out as walrus does', async () => {
    const graph = new Graph(t.db, 'layout');
    await graph.store('charlie', 'friends', 'huey');
    expect(graph.key).toBe(`${t.prefix}layout`);
    expect(new Graph(await t.connect({ hashTag: false }), 'layout').key).toBe(graph.key);
    expect(replyPairs(await t.db.command(['ZRANGE', graph.key, '0', '-1', 'WITHSCORES']))).toEqual([
      ['osp::huey::charlie::friends', '0'],
      ['pos::friends::huey::charlie', '0'],
      ['spo::charlie::friends::huey', '0'],
    ]);
  });

  it('reads triples written by Python walrus', async () => {
    const graph = new Graph(t.db, 'py');
    await t.rawCommand(['ZADD', graph.key, '0', 'spo::a::b::c', '0', 'pos::b::c::a', '0', 'osp::c::a::b'], graph.key);
    expect(await all(graph.query({ o: 'c' }))).toEqual([{ s: 'a', p: 'b', o: 'c' }]);
    expect(await graph.delete('a', 'b', 'c')).toBe(true);
    expect(await t.rawCommand(['EXISTS', graph.key], graph.key)).toBe(0);
  });

  it('answers every combination of s, p and o like a scan of all triples would', async () => {
    const graph = new Graph(t.db, 'combos');
    const words = ['a', 'b', 'c', 'ab', 'ba', 'a b'];
    const triples: Triple[] = [];
    for (const s of words) for (const p of words.slice(0, 3)) for (const o of words) if ((s.length + p.length * 2 + o.length) % 3 !== 0) triples.push({ s, p, o });
    expect(await graph.storeMany(triples)).toBe(triples.length);
    for (const s of [undefined, 'a', 'ab'])
      for (const p of [undefined, 'b'])
        for (const o of [undefined, 'a', 'ba', 'a b']) {
          const q = { s, p, o };
          const expected = triples.filter((x) => (!s || x.s === s) && (!p || x.p === p) && (!o || x.o === o));
          expect(sorted(await all(graph.query(q)))).toEqual(sorted(expected));
        }
  });

  it('queries subject + object in the osp permutation (walrus looked up osp::s::o)', async () => {
    const graph = new Graph(t.db, 'so');
    await graph.storeMany([
      ['a', 'likes', 'b'],
      ['a', 'knows', 'b'],
      ['b', 'hates', 'a'],
      ['a', 'likes', 'c'],
    ]);
    expect(sorted(await all(graph.query({ s: 'a', o: 'b' })))).toEqual(['a|knows|b', 'a|likes|b']);
    expect(sorted(await all(graph.query({ s: 'b', o: 'a' })))).toEqual(['b|hates|a']);
  });

  it('finds values starting with any Unicode character in partial queries', async () => {
    const graph = new Graph(t.db, 'unicode');
    const objects = ['plain', 'ÿes', 'Āb', 'ſ', '日本', '😀 smile', '\u{10FFFF}end', 'é'];
    await graph.storeMany(objects.map((o) => ['me', 'likes', o] as const));
    expect((await all(graph.query({ s: 'me', p: 'likes' }))).map((r) => r.o).sort()).toEqual([...objects].sort());
    expect((await all(graph.query({ s: 'me' }))).length).toBe(objects.length);
    expect((await all(graph.query({ p: 'likes' }))).length).toBe(objects.length);
    for (const o of objects) expect(await all(graph.query({ o }))).toEqual([{ s: 'me', p: 'likes', o }]);
  });

  it('round-trips values containing the separator, colons and backslashes', async () => {
    const graph = new Graph(t.db, 'sep');
    const values = ['a::b', ':lead', 'trail:', 'back\\slash', ':::', '\\', 'x\\:y', 'http://example.com/a?b=c', 'a:b'];
    const triples = values.map((v, i) => ({ s: v, p: `p${i % 2}::x`, o: values[(i + 3) % values.length] }));
    await graph.storeMany(triples);
    expect(sorted(await all(graph.query()))).toEqual(sorted(triples));
    for (const x of triples) {
      expect(await all(graph.query({ s: x.s }))).toEqual([x]);
      expect(await all(graph.query({ s: x.s, p: x.p, o: x.o }))).toEqual([x]);
      expect(sorted(await all(graph.query({ p: x.p, o: x.o })))).toEqual(sorted(triples.filter((y) => y.p === x.p && y.o === x.o)));
    }
    const X = graph.v('X');
    expect(await graph.search({ s: 'a::b', p: X, o: 'back\\slash' })).toEqual({ X: new Set(['p0::x']) });
    expect(await graph.search({ s: 'a::b', p: X, o: ':::' })).toEqual({ X: new Set() });
    expect(await graph.search({ s: X, p: 'p0::x', o: ':::' })).toEqual({ X: new Set(triples.filter((y) => y.p === 'p0::x' && y.o === ':::').map((y) => y.s)) });
    expect(await graph.delete('a::b', 'p0::x', values[3])).toBe(true);
    expect(await all(graph.query({ s: 'a::b' }))).toEqual([]);
  });

  it('deletes a triple from all three permutations and says whether it was there', async () => {
    const graph = await people();
    expect(await graph.delete('charlie', 'friends', 'huey')).toBe(true);
    expect(await graph.delete('charlie', 'friends', 'huey')).toBe(false);
    expect(await t.rawCommand(['ZCARD', graph.key], graph.key)).toBe(6 * 3);
    expect((await all(graph.query({ o: 'huey' }))).length).toBe(0);
    expect((await all(graph.query({ p: 'friends' }))).length).toBe(2);
  });

  it('storeMany counts new triples, takes objects and tuples, and stores more than one ZADD batch atomically', async () => {
    const graph = new Graph(t.db, 'many');
    expect(await graph.storeMany([{ s: 'a', p: 'b', o: 'c' }, ['a', 'b', 'c'], ['a', 'b', 'd']])).toBe(2);
    expect(await graph.storeMany([['a', 'b', 'd']])).toBe(0);
    expect(await graph.storeMany([])).toBe(0);
    const big = Array.from({ length: 2500 }, (_, i) => ({ s: `n${i}`, p: 'next', o: `n${i + 1}` }));
    expect(await graph.storeMany(big)).toBe(2500);
    expect(await t.rawCommand(['ZCARD', graph.key], graph.key)).toBe((2 + 2500) * 3);
    expect(await all(graph.query({ s: 'n1234' }))).toEqual([{ s: 'n1234', p: 'next', o: 'n1235' }]);
  });

  it('storeMany writes nothing when any triple is invalid', async () => {
    const graph = new Graph(t.db, 'invalid-batch');
    const triples: unknown[] = Array.from({ length: 1500 }, (_, i) => [`s${i}`, 'p', 'o']);
    triples[1200] = ['s', '', 'o'];
    await expect(graph.storeMany(triples as Triple[])).rejects.toBeInstanceOf(InvalidArgumentError);
    triples[1200] = ['s', 'p'];
    await expect(graph.storeMany(triples as Triple[])).rejects.toBeInstanceOf(InvalidArgumentError);
    triples[1200] = { s: 's', p: 'p', o: 5 };
    await expect(graph.storeMany(triples as Triple[])).rejects.toMatchObject({ field: 'triple 1200.o' });
    expect(await t.rawCommand(['EXISTS', graph.key], graph.key)).toBe(0);
  });

  it('raises WrongTypeError when its key holds another type, leaving it untouched', async () => {
    const graph = new Graph(t.db, 'notazset');
    await t.rawCommand(['SET', graph.key, 'v'], graph.key);
    const big = Array.from({ length: 1500 }, (_, i) => [`s${i}`, 'p', 'o'] as const);
    for (const op of [
      () => graph.store('a', 'b', 'c'),
      () => graph.storeMany([['a', 'b', 'c']]),
      () => graph.storeMany(big),
      () => graph.delete('a', 'b', 'c'),
      () => all(graph.query({ s: 'a' })),
      () => all(graph.query({ s: 'a', p: 'b', o: 'c' })),
    ]) {
      const err = await op().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongTypeError);
      expect(err).toMatchObject({ key: graph.key, expected: 'zset', actual: 'string' });
    }
    expect(await t.rawCommand(['GET', graph.key], graph.key)).toBe('v');
  });

  it('rejects empty or non-string terms and names with InvalidArgumentError', async () => {
    const graph = new Graph(t.db, 'bad');
    await expect(graph.store('', 'p', 'o')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(graph.store('s', 5 as unknown as string, 'o')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(graph.store('s', 'p', '\uD800')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(graph.delete('s', 'p', '')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(all(graph.query({ s: '' }))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(all(graph.query({}, { pageSize: 0 }))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(graph.search({ s: '', p: 'p', o: graph.v('X') })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(graph.search(['s', 'p'] as unknown as Condition)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(graph.storeMany(null as unknown as Triple[])).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => new Graph(t.db, '')).toThrow(InvalidArgumentError);
    expect(() => graph.v('')).toThrow(InvalidArgumentError);
    expect(await t.rawCommand(['EXISTS', graph.key], graph.key)).toBe(0);
  });

  it('pages through large results and stops when the signal aborts', async () => {
    const graph = new Graph(t.db, 'paging');
    const triples = Array.from({ length: 23 }, (_, i) => ({ s: 'hub', p: 'links', o: `n${String(i).padStart(2, '0')}` }));
    await graph.storeMany(triples);
    await graph.store('other', 'links', 'x');
    expect(await all(graph.query({ s: 'hub' }, { pageSize: 5 }))).toEqual(triples);
    const ac = new AbortController();
    const seen: Triple[] = [];
    for await (const x of graph.query({ s: 'hub' }, { pageSize: 5, signal: ac.signal })) {
      seen.push(x);
      if (seen.length === 7) ac.abort();
    }
    expect(seen).toHaveLength(10);
  });

  it('searches with several variables and clauses, tuple conditions and repeated variables', async () => {
    const graph = new Graph(t.db, 'social');
    await graph.storeMany([
      ['ann', 'knows', 'bob'],
      ['ann', 'knows', 'cat'],
      ['bob', 'knows', 'dan'],
      ['cat', 'knows', 'eve'],
      ['dan', 'lives', 'Oslo'],
      ['eve', 'lives', 'Rome'],
      ['zed', 'likes', 'zed'],
      ['amy', 'likes', 'bob'],
    ]);
    const X = graph.v('X');
    const Y = variable('Y');
    // Friends of ann's friends, and where they live.
    expect(await graph.search(['ann', 'knows', X], [X, 'knows', Y], { s: Y, p: 'lives', o: graph.v('City') })).toEqual({
      X: new Set(['bob', 'cat']),
      Y: new Set(['dan', 'eve']),
      City: new Set(['Oslo', 'Rome']),
    });
    // Variables match by name; a later clause narrows an earlier variable.
    expect(await graph.search(['ann', 'knows', graph.v('F')], [graph.v('F'), 'knows', 'dan'])).toEqual({ F: new Set(['bob']) });
    // One variable in two places must take one value.
    expect(await graph.search({ s: X, p: 'likes', o: X })).toEqual({ X: new Set(['zed']) });
    // A clause without variables must hold.
    expect(await graph.search(['ann', 'knows', X], ['bob', 'knows', 'dan'])).toEqual({ X: new Set(['bob', 'cat']) });
    expect(await graph.search(['ann', 'knows', X], ['bob', 'knows', 'nobody'])).toEqual({ X: new Set() });
    expect(await graph.search()).toEqual({});
  });

  it('matches the documented search rules on a random graph, whichever way each clause is read', async () => {
    const graph = new Graph(t.db, 'random');
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const nodes = Array.from({ length: 150 }, (_, i) => `v${i}`);
    const preds = ['a', 'b', 'c'];
    const triples: Triple[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 1500; i++) {
      const x = { s: nodes[rand(150)], p: preds[rand(3)], o: nodes[rand(150)] };
      const k = `${x.s}|${x.p}|${x.o}`;
      if (!seen.has(k)) {
        seen.add(k);
        triples.push(x);
      }
    }
    await graph.storeMany(triples);
    const X = graph.v('X');
    const Y = graph.v('Y');
    const Z = graph.v('Z');
    // Covers all three ways a clause is read: its whole pattern, a few bound values one by one, and many bound
    // values against a pattern that is smaller (read whole) or larger (values one by one).
    const queries = [
      [{ s: 'v1', p: 'a', o: X }, { s: X, p: 'b', o: Y }],
      [{ s: X, p: 'a', o: Y }, { s: Y, p: 'b', o: Z }],
      [{ s: X, p: 'a', o: Y }, { s: Y, p: 'b', o: 'v3' }],
      [{ s: 'v2', p: X, o: Y }, { s: Y, p: X, o: Z }],
      [{ s: X, p: 'c', o: 'v5' }, { s: X, p: 'a', o: Y }, { s: Y, p: 'b', o: Z }, { s: Z, p: 'c', o: X }],
      [{ s: X, p: Y, o: X }],
    ];
    for (const q of queries) expect(await graph.search(...q)).toEqual(reference(triples, q));
  });

  it('clear() deletes the graph', async () => {
    const graph = await people();
    expect(await graph.clear()).toBe(true);
    expect(await graph.clear()).toBe(false);
    expect(await all(graph.query())).toEqual([]);
  });
});
