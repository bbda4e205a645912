import { randomBytes } from 'node:crypto';
import { connect, type Walrus } from '@walrus/core';
import { deletePrefixed, rawClient, testServers, RoundTripCounter } from '@walrus/testing';
import { BitField, BloomFilter, Counter, Hash, HyperLogLog, List, RedisArray, RedisSet, ZSet, cas, getKey } from '@walrus/containers';

// Round trips are a property of the client side, measured on the single server through a counting proxy
// (a cluster client talks to the nodes it discovers, past any proxy). The README's table lists these figures.
const url = testServers().url;
const maybe = url ? describe : describe.skip;

maybe('round trips per operation', () => {
  let proxy: RoundTripCounter;
  let db: Walrus;
  const prefix = `wt${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    proxy = new RoundTripCounter({ host: '127.0.0.1', port: Number(new URL(url!).port) });
    db = await connect(await proxy.listen(), { prefix });
  });
  afterAll(async () => {
    await db.close();
    await proxy.close();
    const raw = await rawClient('standalone');
    await deletePrefixed(raw, prefix);
    await raw.close();
  });

  async function count(op: () => Promise<unknown>): Promise<number> {
    proxy.roundTrips = 0;
    await op();
    return proxy.roundTrips;
  }

  it('is one per method, none for empty writes, and scripts cost one once loaded', async () => {
    const h = new Hash(db, 'h');
    const l = new List(db, 'l');
    const g = db.group('g');
    const s = new RedisSet(g, 's');
    const s2 = new RedisSet(g, 's2');
    const z = new ZSet(db, 'z');
    const hll = new HyperLogLog(db, 'hll');
    const a = new RedisArray(db, 'a');
    const bf = new BitField(db, 'bf');
    const bloom = new BloomFilter(db, 'bloom');
    const c = new Counter(db, 'c');
    await db.command(['SET', db.key('str'), 'abc']);
    await db.server();
    const table: [string, () => Promise<unknown>, number][] = [
      ['Hash.setMany', () => h.setMany({ a: '1', b: '2' }), 1],
      ['Hash.setMany({})', () => h.setMany({}), 0],
      ['Hash.get', () => h.get('a'), 1],
      ['Hash.getMany', () => h.getMany(['a', 'b']), 1],
      ['Hash.entries', () => h.entries(), 1],
      ['Hash.incr', () => h.incr('n'), 1],
      ['List.push', () => l.push('a', 'b', 'c'), 1],
      ['List.slice', () => l.slice(0, 2), 1],
      ['List.removeAt (script)', () => l.removeAt(1), 1],
      ['List.blockingPop', () => l.blockingPop({ timeout: 100 }), 1],
      ['RedisSet.add', () => s.add('1', '2'), 1],
      ['RedisSet.add()', () => s.add(), 0],
      ['RedisSet.intersect', () => s.intersect(s2), 1],
      ['RedisSet.unionStore', () => s.unionStore('u', s2), 1],
      ['ZSet.add', () => z.add({ a: 1, b: 2, c: 3 }), 1],
      ['ZSet.add([])', () => z.add([]), 0],
      ['ZSet.slice(rank)', () => z.slice(0, 2), 1],
      ['ZSet.slice({member}) (script)', () => z.slice(undefined, { member: 'c' }), 1],
      ['ZSet.rangeByScore', () => z.rangeByScore(1, null, { withScores: true }), 1],
      ['ZSet.popMin', () => z.popMin(), 1],
      ['HyperLogLog.add', () => hll.add('x', 'y'), 1],
      ['HyperLogLog.count', () => hll.count(), 1],
      ['RedisArray.push (script)', () => a.push('x', 'y', 'z'), 1],
      ['RedisArray.at', () => a.at(1), 1],
      ['RedisArray.at(-1) (script)', () => a.at(-1), 1],
      ['RedisArray.set (script)', () => a.set(0, 'w'), 1],
      ['RedisArray.toArray (script)', () => a.toArray(), 1],
      ['RedisArray.pop (script)', () => a.pop(), 1],
      ['BitField op (3 operations)', () => bf.op().set('u8', 0, 1).get('u4', 0).incrBy('u8', 8, 1, 'SAT').execute(), 1],
      ['BitField.getBits', () => bf.getBits(0, 8), 1],
      ['BloomFilter.add (3 items)', () => bloom.add('a', 'b', 'c'), 1],
      ['BloomFilter.has', () => bloom.has('a'), 1],
      ['Counter.incr', () => c.incr(), 1],
      ['cas (script)', () => cas(db, 'str', 'a', 'b'), 1],
      ['getKey string (script)', () => getKey(db, 'str'), 1],
      ['getKey hash (script)', () => getKey(db, 'h'), 1],
      ['Container.expire', () => h.expire(60_000), 1],
    ];
    // Warm up: scripts get loaded (a first EVALSHA costs one extra round trip for the EVAL fallback).
    for (const [, op] of table) await op();
    const measured: [string, number][] = [];
    for (const [name, op] of table) measured.push([name, await count(op)]);
    expect(measured).toEqual(table.map(([name, , n]) => [name, n]));
  });
});
