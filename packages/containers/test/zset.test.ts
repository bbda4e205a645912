import { setTimeout as sleep } from 'node:timers/promises';
import { CrossSlotError, InvalidArgumentError, NotFoundError, WrongTypeError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { ZSet } from '@walrus/containers';

describeTopologies('ZSet', (t) => {
  async function ages(name = 'z1'): Promise<ZSet> {
    const z = new ZSet(t.db, name);
    await z.add({ charlie: 31, huey: 3, mickey: 6, zaizee: 2.5 });
    return z;
  }

  it('slices by member and by rank, with scores (the documented session)', async () => {
    const z = await ages();
    await z.set('huey', 3.5);
    expect(await z.slice(undefined, { member: 'mickey' })).toEqual(['zaizee', 'huey']);
    expect(await z.slice(-2)).toEqual(['mickey', 'charlie']);
    expect(await z.slice(-2, undefined, { withScores: true })).toEqual([['mickey', 6], ['charlie', 31]]);
    expect(await z.score('huey')).toBe(3.5);
    expect(String(await t.rawCommand(['ZSCORE', z.key, 'huey'], z.key))).toBe('3.5');
  });

  it('slices between two members, by reversed rank, and treats end 0 and a first-ranked end as empty', async () => {
    const z = await ages('z2');
    expect(await z.slice({ member: 'huey' }, { member: 'charlie' })).toEqual(['huey', 'mickey']);
    expect(await z.slice({ member: 'mickey' })).toEqual(['mickey', 'charlie']);
    expect(await z.slice(undefined, { member: 'zaizee' })).toEqual([]);
    expect(await z.slice(0, 0)).toEqual([]);
    expect(await z.slice(1, -1)).toEqual(['huey', 'mickey']);
    expect(await z.slice(0, 2, { reverse: true })).toEqual(['charlie', 'mickey']);
    expect(await z.slice(undefined, { member: 'huey' }, { reverse: true, withScores: true })).toEqual([['charlie', 31], ['mickey', 6]]);
    await expect(z.slice({ member: 'nobody' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads ranges by score with exclusive and infinite bounds, reverse and limit', async () => {
    const z = await ages('z3');
    expect(await z.rangeByScore({ value: 3, exclusive: true }, null, { withScores: true })).toEqual([['mickey', 6], ['charlie', 31]]);
    expect(await z.rangeByScore(2.5, 6)).toEqual(['zaizee', 'huey', 'mickey']);
    expect(await z.rangeByScore(null, { value: 6, exclusive: true }, { reverse: true })).toEqual(['huey', 'zaizee']);
    expect(await z.rangeByScore(-Infinity, Infinity, { limit: { offset: 1, count: 2 } })).toEqual(['huey', 'mickey']);
    expect(await z.count(3, 31)).toBe(3);
    expect(await z.count({ value: 3, exclusive: true }, null)).toBe(2);
    await expect(z.rangeByScore(NaN, 1)).rejects.toThrow(InvalidArgumentError);
  });

  it('reads, counts and removes ranges by lex', async () => {
    const z = new ZSet(t.db, 'lex');
    await z.add([['a', 0], ['b', 0], ['c', 0], ['d', 0], ['e', 0]]);
    expect(await z.rangeByLex('b', { value: 'd', exclusive: true })).toEqual(['b', 'c']);
    expect(await z.rangeByLex(null, 'c', { reverse: true })).toEqual(['c', 'b', 'a']);
    expect(await z.rangeByLex(null, null, { limit: { offset: 3, count: 5 } })).toEqual(['d', 'e']);
    expect(await z.lexCount({ value: 'a', exclusive: true }, null)).toBe(4);
    await expect(z.rangeByLex(null, null, { withScores: true } as never)).rejects.toThrow(InvalidArgumentError);
    expect(await z.removeByLex('d', null)).toBe(2);
    expect(await z.slice()).toEqual(['a', 'b', 'c']);
  });

  it('ranks, increments, deletes and removes by rank and score', async () => {
    const z = await ages('z4');
    expect(await z.rank('mickey')).toBe(2);
    expect(await z.rank('mickey', { reverse: true })).toBe(1);
    expect(await z.rank('nobody')).toBeUndefined();
    expect(await z.has('huey')).toBe(true);
    expect(await z.has('nobody')).toBe(false);
    expect(await z.incr('huey')).toBe(4);
    expect(await z.incr('huey', 0.5)).toBe(4.5);
    expect(await z.incr('newbie', 2)).toBe(2);
    expect(await z.delete('newbie', 'nobody')).toBe(1);
    expect(await z.size()).toBe(4);
    expect(await z.removeByRank(0, 1)).toBe(1);
    expect(await z.removeByScore({ value: 6, exclusive: true }, null)).toBe(1);
    expect(await z.slice()).toEqual(['huey', 'mickey']);
    expect(await z.removeByRank(0, 0)).toBe(0);
  });

  it('adds with NX, XX, GT, LT and CH, refusing bad scores before writing', async () => {
    const z = new ZSet(t.db, 'flags');
    expect(await z.add([['a', 1]])).toBe(1);
    expect(await z.add([['a', 5], ['b', 2]], { nx: true })).toBe(1);
    expect(await z.score('a')).toBe(1);
    expect(await z.add([['a', 7], ['c', 3]], { xx: true, ch: true })).toBe(1);
    expect(await z.has('c')).toBe(false);
    await z.add([['a', 2]], { gt: true });
    expect(await z.score('a')).toBe(7);
    await z.add([['a', 2]], { lt: true });
    expect(await z.score('a')).toBe(2);
    await expect(z.add([['x', 1], ['y', NaN]])).rejects.toThrow(InvalidArgumentError);
    await expect(z.add([['x', Infinity]])).rejects.toThrow(InvalidArgumentError);
    await expect(z.add([['x', 1]], { nx: true, xx: true })).rejects.toThrow(InvalidArgumentError);
    expect(await z.has('x')).toBe(false);
    expect(await z.add([])).toBe(0);
    expect(await z.add(new Map([['m', 9]]))).toBe(1);
  });

  it('pops lowest and highest, and blocks for one on a dedicated connection', async () => {
    const z = await ages('pops');
    expect(await z.popMin()).toEqual([['zaizee', 2.5]]);
    expect(await z.popMax(2)).toEqual([['charlie', 31], ['mickey', 6]]);
    expect(await z.blockingPopMin({ timeout: 0 })).toEqual(['huey', 3]);
    expect(await z.popMin()).toEqual([]);
    expect(await z.blockingPopMax({ timeout: 0 })).toBeUndefined();
    const waiting = z.blockingPopMax({ timeout: '5s' });
    await sleep(50);
    await z.add({ late: 1, later: 2 });
    expect(await waiting).toEqual(['later', 2]);
    expect(await z.blockingPopMin({ timeout: 150 })).toEqual(['late', 1]);
    const t0 = Date.now();
    expect(await z.blockingPopMin({ timeout: 200 })).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    const ac = new AbortController();
    const aborted = z.blockingPopMin({ signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop')), 50);
    await expect(aborted).rejects.toThrow('stop');
  });

  it('computes weighted unions and intersections, and stores them', async () => {
    const g = t.db.group('zs');
    const a = new ZSet(g, 'a');
    const b = new ZSet(g, 'b');
    await a.add({ x: 1, y: 2 });
    await b.add({ y: 10, z: 20 });
    expect(await a.union(b)).toEqual([['x', 1], ['y', 12], ['z', 20]]);
    expect(await a.union([b], { weights: [2, 1], aggregate: 'max' })).toEqual([['x', 2], ['y', 10], ['z', 20]]);
    expect(await a.intersect('b', { aggregate: 'min' })).toEqual([['y', 2]]);
    const u = await a.unionStore('u', b, { weights: [1, 0.5] });
    expect(await u.slice(0, undefined, { withScores: true })).toEqual([['x', 1], ['y', 7], ['z', 10]]);
    const i = await a.intersectStore(new ZSet(g, 'i'), [b]);
    expect(await i.slice(0, undefined, { withScores: true })).toEqual([['y', 12]]);
    await expect(a.union(b, { weights: [1] })).rejects.toThrow(InvalidArgumentError);
    if (t.isCluster) {
      await expect(a.union(new ZSet(t.db, 'elsewhere'))).rejects.toThrow(CrossSlotError);
      await expect(a.unionStore(new ZSet(t.db, 'elsewhere'), b)).rejects.toThrow(CrossSlotError);
    }
  });

  it('iterates member/score pairs and scans by pattern', async () => {
    const z = new ZSet(t.db, 'iter');
    const entries = Array.from({ length: 300 }, (_, i): [string, number] => [`m${i}`, i]);
    await z.add(entries);
    const seen = new Map<string, number>();
    for await (const [m, s] of z) seen.set(m, s);
    expect(seen).toEqual(new Map(entries));
    const matched: [string, number][] = [];
    for await (const e of z.scan({ match: 'm29?' })) matched.push(e);
    expect(matched.sort((x, y) => x[1] - y[1])).toEqual(entries.slice(290, 300));
  });

  it('raises WrongTypeError naming the key', async () => {
    await t.rawCommand(['SADD', t.key('a-set'), 'x'], t.key('a-set'));
    const z = new ZSet(t.db, 'a-set');
    await expect(z.add({ a: 1 })).rejects.toMatchObject({ name: 'WrongTypeError', key: t.key('a-set'), expected: 'zset', actual: 'set' });
    await expect(z.slice({ member: 'x' })).rejects.toBeInstanceOf(WrongTypeError);
    await expect(z.blockingPopMin({ timeout: 50 })).rejects.toBeInstanceOf(WrongTypeError);
  });
});
