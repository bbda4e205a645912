import { setTimeout as sleep } from 'node:timers/promises';
import { DecodeError, InvalidArgumentError, Script, bufferCodec, keySlot, stringCodec } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { Cache } from '@walrus/cache';
import { DROP_IDLE_FENCE } from '../src/lua/drop-idle-fence';
import { READ_WITH_TTL } from '../src/lua/read-with-ttl';

describeTopologies('Cache', (t) => {
  it('gets, sets, tests and deletes values under <name>:<key>', async () => {
    const cache = new Cache(t.db);
    expect(await cache.get('foo')).toBeUndefined();
    await cache.set('foo', 'bar');
    expect(await cache.get('foo')).toBe('bar');
    expect(await t.rawCommand(['GET', t.key('cache:foo')], t.key('cache:foo'))).toBe('"bar"');
    expect(await cache.has('foo')).toBe(true);
    expect(await cache.delete('foo')).toBe(true);
    expect(await cache.delete('foo')).toBe(false);
    expect(await cache.has('foo')).toBe(false);
    expect(await cache.get('foo')).toBeUndefined();
  });

  it('expires values after their TTL (Python: set(k, v, 10))', async () => {
    const cache = new Cache<string>(t.db, { name: 'exp' });
    await cache.set('foo', 'bar', { ttl: 300 });
    expect(await cache.get('foo')).toBe('bar');
    const left = await cache.ttl('foo');
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(300);
    await sleep(400);
    expect(await cache.get('foo')).toBeUndefined();
    expect(await cache.ttl('foo')).toBeUndefined();
  });

  it('applies the default TTL unless a call gives one (null = never expires)', async () => {
    const cache = new Cache(t.db, { name: 'dflt', defaultTtl: '2s' });
    await cache.set('a', 1);
    await cache.set('b', 2, { ttl: '1m' });
    await cache.set('c', 3, { ttl: null });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((k) => cache.ttl(k)));
    expect(a).toBeGreaterThan(1500);
    expect(a).toBeLessThanOrEqual(2000);
    expect(b).toBeGreaterThan(59_000);
    expect(c).toBeNull();
    expect(await new Cache(t.db, { name: 'dflt' }).ttl('c')).toBeNull();
  });

  it('caches null and undefined, and tells them from a miss', async () => {
    const cache = new Cache<null | undefined | number>(t.db, { name: 'nulls' });
    await cache.set('n', null);
    await cache.set('u', undefined);
    expect(await cache.get('n')).toBeNull();
    expect(await cache.get('u')).toBeUndefined();
    expect(await cache.has('u')).toBe(true);
    expect(await cache.has('missing')).toBe(false);
    expect(await cache.getMany(['n', 'u', 'missing'])).toEqual(
      new Map<string, null | undefined>([
        ['n', null],
        ['u', undefined],
      ]),
    );
  });

  it('round-trips JSON structures, strings and raw bytes through codecs', async () => {
    const json = new Cache<{ a: number[]; b: { c: string } }>(t.db, { name: 'json' });
    await json.set('x', { a: [1, 2], b: { c: 'é' } });
    expect(await json.get('x')).toEqual({ a: [1, 2], b: { c: 'é' } });

    const text = new Cache<string>(t.db, { name: 'text', codec: stringCodec });
    await text.set('x', 'plain');
    expect(await t.rawCommand(['GET', t.key('text:x')], t.key('text:x'))).toBe('plain');
    expect(await text.getOrSet('y', () => 'computed')).toBe('computed');

    const bytes = Buffer.from([0, 1, 128, 255, 0xc3]);
    const bin = new Cache<Buffer>(t.db, { name: 'bin', codec: bufferCodec, staleWhileRevalidate: '1s' });
    await bin.set('x', bytes);
    expect(await bin.get('x')).toEqual(bytes);
    expect((await bin.getMany(['x'])).get('x')).toEqual(bytes);
    // The stale-window read path (a script) keeps bytes intact too.
    expect(await bin.getOrSet('x', () => Buffer.from('other'))).toEqual(bytes);
  });

  it('raises DecodeError naming the key for undecodable values', async () => {
    const cache = new Cache(t.db, { name: 'bad' });
    await t.rawCommand(['SET', t.key('bad:x'), '{not json'], t.key('bad:x'));
    const err = await cache.get('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).key).toBe(t.key('bad:x'));
  });

  it('reads, writes and deletes many keys (Python get_many / set_many / delete_many)', async () => {
    const cache = new Cache<string>(t.db, { name: 'many' });
    await cache.setMany({ k1: 'v1', k2: 'v2' }, { ttl: '5m' });
    expect(await cache.getMany(['k1', 'kx', 'k2'])).toEqual(
      new Map([
        ['k1', 'v1'],
        ['k2', 'v2'],
      ]),
    );
    const ttl = await cache.ttl('k2');
    expect(ttl).toBeGreaterThan(290_000);
    await cache.setMany(new Map([['k3', 'v3']]));
    expect(await cache.ttl('k3')).toBeNull();
    expect(await cache.deleteMany(['k1', 'kx', 'k2'])).toBe(2);
    expect(await cache.getMany(['k1', 'k2', 'k3'])).toEqual(new Map([['k3', 'v3']]));
    expect(await cache.getMany([])).toEqual(new Map());
    expect(await cache.deleteMany([])).toBe(0);
  });

  it('spreads batch calls over cluster slots (one command per slot)', async () => {
    const cache = new Cache<number>(t.db, { name: 'spread' });
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    if (t.isCluster) expect(new Set(keys.map((k) => keySlot(cache.redisKey(k)))).size).toBeGreaterThan(10);
    await cache.setMany(Object.fromEntries(keys.map((k, i) => [k, i])), { ttl: '1m' });
    const got = await cache.getMany([...keys, 'none']);
    expect(got.size).toBe(40);
    expect(got.get('k39')).toBe(39);
    expect(await cache.deleteMany(keys)).toBe(40);
  });

  it('writes nothing when one value of a batch cannot be encoded', async () => {
    const cache = new Cache<unknown>(t.db, { name: 'atomic' });
    const err = await cache.setMany({ a: 1, b: 10n, c: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(await cache.getMany(['a', 'b', 'c'])).toEqual(new Map());
    await expect(cache.set('x', () => 1)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await cache.has('x')).toBe(false);
  });

  it('lists and flushes only its own namespace', async () => {
    const users = new Cache(t.db, { name: 'users' });
    const other = new Cache(t.db, { name: 'users2' });
    await users.setMany({ a: 1, b: 2, 'c:d': 3 });
    await other.set('a', 1);
    await t.db.command(['SET', t.db.key('users'), 'not a cache entry']);
    const keys: string[] = [];
    for await (const k of users.keys()) keys.push(k);
    expect(keys.sort()).toEqual(['a', 'b', 'c:d']);
    expect(await users.flush()).toBe(3);
    expect(await users.getMany(['a', 'b', 'c:d'])).toEqual(new Map());
    expect(await other.get('a')).toBe(1);
    expect(await t.db.command(['GET', t.db.key('users')])).toBe('not a cache entry');
    expect(await users.flush()).toBe(0);
  });

  it('escapes glob characters of its name when scanning', async () => {
    const star = new Cache(t.db, { name: 'a*' });
    const plain = new Cache(t.db, { name: 'ab' });
    await star.set('k', 1);
    await plain.set('k', 2);
    expect(await star.flush()).toBe(1);
    expect(await plain.get('k')).toBe(2);
  });

  it('rejects bad input with InvalidArgumentError before writing anything', async () => {
    const cache = new Cache(t.db, { name: 'inv' });
    await expect(cache.get('')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cache.set('k', 1, { ttl: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cache.set('k', 1, { ttl: -5 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cache.set('k', 1, { ttl: '5 parsecs' as never })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cache.setMany({ a: 1, '': 2 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cache.getMany(['a', 3 as never])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cache.getOrSet('k', () => 1, { ttl: 0.2 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cache.getOrSet('k', () => 1, { staleWhileRevalidate: Infinity })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(cache.getOrSet('k', () => 1, { distributed: { lockTtl: 0 } })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => new Cache(t.db, { name: '' })).toThrow(InvalidArgumentError);
    expect(() => new Cache(t.db, { defaultTtl: 'soon' as never })).toThrow(InvalidArgumentError);
    expect(() => new Cache({} as never)).toThrow(InvalidArgumentError);
    expect(await cache.getMany(['a', 'k'])).toEqual(new Map());
  });

  it('does nothing in debug mode (disabled): reads miss, writes no-op', async () => {
    const live = new Cache(t.db, { name: 'dbg' });
    await live.set('k', 'stored');
    const cache = new Cache(t.db, { name: 'dbg', disabled: true });
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.has('k')).toBe(false);
    await cache.set('k', 'changed');
    await cache.setMany({ k: 'changed', j: 1 });
    expect(await cache.delete('k')).toBe(false);
    expect(await cache.flush()).toBe(0);
    expect(await live.get('k')).toBe('stored');
    expect(await live.has('j')).toBe(false);
    let runs = 0;
    const fn = cache.cached(async () => ++runs, { name: 'fn' });
    expect([await fn(), await fn()]).toEqual([1, 2]);
    expect(await cache.getOrSet('k', () => 'computed')).toBe('computed');
    expect(await live.get('k')).toBe('stored');
  });

  it('counts hits, misses and writes', async () => {
    const cache = new Cache(t.db, { name: 'metrics' });
    await cache.set('a', 1);
    await cache.get('a');
    await cache.get('nope');
    await cache.getMany(['a', 'x', 'y']);
    expect(cache.metrics).toMatchObject({ hits: 2, misses: 3, writes: 1, stale: 0 });
    expect(cache.metrics.avgHitMs).toBeGreaterThan(0);
  });

  it('ships scripts whose SHAs match SCRIPT LOAD', async () => {
    const k = t.key('sha');
    for (const source of [READ_WITH_TTL, DROP_IDLE_FENCE]) expect(await t.rawCommand(['SCRIPT', 'LOAD', source], k)).toBe(new Script('s', source).sha);
  });
});
