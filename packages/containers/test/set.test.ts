import { CrossSlotError, InvalidArgumentError, WrongTypeError, jsonCodec } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { RedisSet } from '@walrus/containers';

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => String(a + i));
const sorted = (xs: string[]) => [...xs].sort();

describeTopologies('RedisSet', (t) => {
  it('does set algebra: union, intersection, difference, in-place difference (the documented session)', async () => {
    const g = t.db.group('sets');
    const s1 = new RedisSet(g, 's1');
    const s2 = new RedisSet(g, 's2');
    expect(await s1.add(...range(0, 5))).toBe(5);
    expect(await s2.add(...range(3, 8))).toBe(5);
    expect(sorted(await s1.union(s2))).toEqual(range(0, 8));
    expect(sorted(await s1.intersect(s2))).toEqual(['3', '4']);
    expect(sorted(await s1.diff(s2))).toEqual(['0', '1', '2']);
    expect(await s1.diffStore(s1, s2)).toBe(s1);
    expect(sorted(await s1.values())).toEqual(['0', '1', '2']);
    expect(await s1.size()).toBe(3);
    expect(sorted(await t.rawCommand<string[]>(['SMEMBERS', s1.key], s1.key))).toEqual(['0', '1', '2']);
  });

  it('stores union and intersection into a destination given by container or name', async () => {
    const g = t.db.group('store');
    const a = new RedisSet(g, 'a');
    const b = new RedisSet(g, 'b');
    const c = new RedisSet(g, 'c');
    await a.add('1', '2', '3');
    await b.add('2', '3', '4');
    await c.add('3', '9');
    const u = await a.unionStore('u', b, 'c');
    expect(u).toBeInstanceOf(RedisSet);
    expect(u.key).toBe(g.key('u'));
    expect(sorted(await u.values())).toEqual(['1', '2', '3', '4', '9']);
    const i = await a.intersectStore(new RedisSet(g, 'i'), b, c);
    expect(await i.values()).toEqual(['3']);
    expect(sorted(await a.union('b'))).toEqual(['1', '2', '3', '4']);
  });

  it('adds, removes, tests membership, pops and samples', async () => {
    const s = new RedisSet(t.db, 'basic');
    expect(await s.add('a', 'b', 'c', 'a')).toBe(3);
    expect(await s.has('a')).toBe(true);
    expect(await s.has('z')).toBe(false);
    expect(await s.delete('a', 'z')).toBe(1);
    const r = await s.random();
    expect(['b', 'c']).toContain(r);
    expect(sorted(await s.random(5))).toEqual(['b', 'c']);
    expect(await s.size()).toBe(2);
    const p = await s.pop();
    expect(['b', 'c']).toContain(p);
    expect(await s.has(p!)).toBe(false);
    expect(await s.pop(3)).toHaveLength(1);
    expect(await s.pop()).toBeUndefined();
    expect(await s.random()).toBeUndefined();
    expect(await s.pop(2)).toEqual([]);
    await expect(s.pop(0)).rejects.toThrow(InvalidArgumentError);
    expect(await s.add()).toBe(0);
  });

  it('iterates with for await and scans members matching a pattern (Python search)', async () => {
    const s = new RedisSet(t.db, 'big');
    const members = range(0, 500).map((n) => `m${n}`);
    await s.add(...members);
    const seen = new Set<string>();
    for await (const m of s) seen.add(m);
    expect(sorted([...seen])).toEqual(sorted(members));
    const matched: string[] = [];
    for await (const m of s.scan({ match: 'm4?', count: 100 })) matched.push(m);
    expect(sorted(matched)).toEqual(range(40, 50).map((n) => `m${n}`));
  });

  it('stores members through a codec', async () => {
    const s = new RedisSet<number[]>(t.db, 'json', { codec: jsonCodec() });
    await s.add([1, 2], [3]);
    expect(await s.has([1, 2])).toBe(true);
    expect((await s.values()).map((v) => JSON.stringify(v)).sort()).toEqual(['[1,2]', '[3]']);
  });

  it('raises CrossSlotError for set algebra across slots on a cluster, writing nothing', async () => {
    const a = new RedisSet(t.db, 'left-set');
    const b = new RedisSet(t.db, 'right-set-x');
    await a.add('1');
    await b.add('1', '2');
    if (t.isCluster) {
      const err = await a.union(b).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrossSlotError);
      expect((err as CrossSlotError).keys).toEqual([a.key, b.key]);
      await expect(a.unionStore('dest-set', b)).rejects.toThrow(CrossSlotError);
      expect(await new RedisSet(t.db, 'dest-set').exists()).toBe(false);
    } else {
      expect(sorted(await a.union(b))).toEqual(['1', '2']);
    }
  });

  it('names the offending key when one operand is not a set', async () => {
    const g = t.db.group('wt');
    const a = new RedisSet(g, 'a');
    await a.add('1');
    await t.rawCommand(['RPUSH', g.key('l'), 'x'], g.key('l'));
    const err = await a.union('l').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: g.key('l'), expected: 'set', actual: 'list' });
    await expect(a.unionStore('d', 'l')).rejects.toMatchObject({ key: g.key('l') });
    expect(await new RedisSet(g, 'd').exists()).toBe(false);
  });
});
