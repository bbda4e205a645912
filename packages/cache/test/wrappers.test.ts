import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { Cache, argsHash } from '@walrus/cache';

describeTopologies('Cache wrappers', (t) => {
  describe('cached()', () => {
    it('memoises results per arguments until they expire (Python get_time example)', async () => {
      const cache = new Cache<number>(t.db, { name: 'memo' });
      let runs = 0;
      const getTime = cache.cached(async (_seed?: string) => ++runs, { name: 'getTime', ttl: 200 });
      expect(await getTime()).toBe(1);
      expect(await getTime()).toBe(1);
      expect(await getTime('foo')).toBe(2);
      expect(await getTime('foo')).toBe(2);
      expect(await getTime('bar')).toBe(3);
      expect(await getTime('foo')).toBe(2);
      await sleep(260);
      expect(await getTime()).toBe(4);
    });

    it('busts one argument list (Python add_numbers.bust(3, 4))', async () => {
      const cache = new Cache<number>(t.db, { name: 'bust' });
      const calls: number[][] = [];
      const addNumbers = cache.cached(
        function addNumbers(a: number, b: number) {
          calls.push([a, b]);
          return a + b;
        },
        { ttl: '1m' },
      );
      expect(await addNumbers(3, 4)).toBe(7);
      expect(await addNumbers(3, 4)).toBe(7);
      expect(await addNumbers(1, 2)).toBe(3);
      expect(calls).toEqual([
        [3, 4],
        [1, 2],
      ]);
      expect(await addNumbers.bust(3, 4)).toBe(true);
      expect(await addNumbers.bust(3, 4)).toBe(false);
      expect(await addNumbers(3, 4)).toBe(7);
      expect(await addNumbers(1, 2)).toBe(3);
      expect(calls).toHaveLength(3);
    });

    it('stores results at <name>:<fn>:<sha1 of canonical args>', async () => {
      const cache = new Cache(t.db, { name: 'keys' });
      const lookup = cache.cached(async (q: { b: number; a: number }, page = 1) => `${q.a}-${q.b}-${page}`, { name: 'lookup' });
      await lookup({ b: 2, a: 1 });
      const key = lookup.key({ a: 1, b: 2 });
      expect(key).toBe(`lookup:${argsHash([{ a: 1, b: 2 }])}`);
      expect(await t.rawCommand(['GET', t.key(`keys:${key}`)], t.key(`keys:${key}`))).toBe('"1-2-1"');
      expect(await cache.get(key)).toBe('1-2-1');
      const custom = cache.cached(async (id: string) => id.toUpperCase(), { name: 'upper', key: (id) => id });
      await custom('x1');
      expect(await cache.get('upper:x1')).toBe('X1');
    });

    it('caches null and undefined results (the Python version cannot)', async () => {
      const cache = new Cache<null | undefined>(t.db, { name: 'nullres' });
      let runs = 0;
      const findNothing = cache.cached(
        async (_id: number) => {
          runs++;
          return null;
        },
        { name: 'findNothing' },
      );
      const doNothing = cache.cached(
        async () => {
          runs++;
          return undefined;
        },
        { name: 'doNothing' },
      );
      expect(await findNothing(1)).toBeNull();
      expect(await findNothing(1)).toBeNull();
      expect(await doNothing()).toBeUndefined();
      expect(await doNothing()).toBeUndefined();
      expect(runs).toBe(2);
    });

    it('honours the cache default TTL and a per-wrapper TTL', async () => {
      const cache = new Cache(t.db, { name: 'wttl', defaultTtl: '3s' });
      const a = cache.cached(async () => 1, { name: 'a' });
      const b = cache.cached(async () => 2, { name: 'b', ttl: '1h' });
      const c = cache.cached(async () => 3, { name: 'c', ttl: null });
      await Promise.all([a(), b(), c()]);
      const ttlA = await cache.ttl(a.key());
      expect(ttlA).toBeGreaterThan(2000);
      expect(ttlA).toBeLessThanOrEqual(3000);
      expect(await cache.ttl(b.key())).toBeGreaterThan(3_500_000);
      expect(await cache.ttl(c.key())).toBeNull();
    });

    it('keeps metrics per wrapper and rolls them into the cache', async () => {
      const cache = new Cache(t.db, { name: 'wm' });
      const f = cache.cached(
        async (n: number) => {
          await sleep(20);
          return n * 2;
        },
        { name: 'double' },
      );
      await f(1);
      await f(1);
      await f(1);
      await f(2);
      expect(f.metrics).toMatchObject({ hits: 2, misses: 2, writes: 2 });
      expect(f.metrics.avgMissMs).toBeGreaterThanOrEqual(15);
      expect(f.metrics.avgHitMs).toBeLessThan(f.metrics.avgMissMs);
      expect(cache.metrics).toMatchObject({ hits: 2, misses: 2, writes: 2 });
    });

    it('passes `this` through and names the wrapper after the function', async () => {
      const cache = new Cache(t.db, { name: 'this' });
      const obj = { base: 10, add: cache.cached(function add(this: { base: number }, n: number) { return this.base + n; }) };
      expect(await obj.add(5)).toBe(15);
      expect(obj.add.name).toBe('add');
    });

    it('rejects anonymous functions without a name and unhashable arguments', async () => {
      const cache = new Cache(t.db, { name: 'anon' });
      expect(() => cache.cached((() => (x: number) => x)())).toThrow(InvalidArgumentError);
      const f = cache.cached(async (m: Map<string, number>) => m.size, { name: 'size' });
      await expect(f(new Map())).rejects.toBeInstanceOf(InvalidArgumentError);
      const g = cache.cached(async (m: Map<string, number>) => m.size, { name: 'size2', key: (m) => [...m.keys()].join(',') });
      expect(await g(new Map([['a', 1]]))).toBe(1);
      const empty = cache.cached(async (_s: string) => 1, { name: 'empty', key: () => '' });
      await expect(empty('x')).rejects.toBeInstanceOf(InvalidArgumentError);
    });
  });

  describe('method() decorator (cached property)', () => {
    it('caches async methods and getters per instance (Python cached_property)', async () => {
      const cache = new Cache(t.db, { name: 'deco' });
      let clockReads = 0;
      class Clock {
        @cache.method()
        get now(): Promise<number> {
          clockReads++;
          return Promise.resolve(Date.now() + clockReads);
        }
      }
      const clock = new Clock();
      const first = await clock.now;
      expect(await clock.now).toBe(first);
      const other = new Clock();
      expect(await other.now).not.toBe(first);
      expect(clockReads).toBe(2);
      expect(await cache.bust(clock, 'now')).toBe(true);
      expect(await clock.now).not.toBe(first);
      expect(clockReads).toBe(3);
    });

    it('keys methods by class, member, instance key and arguments', async () => {
      const cache = new Cache(t.db, { name: 'deco2' });
      const loads: string[] = [];
      class Repo {
        constructor(readonly tenant: string) {}
        @cache.method({ instanceKey: (r) => (r as Repo).tenant, ttl: '1m' })
        async user(id: string): Promise<{ tenant: string; id: string }> {
          loads.push(`${this.tenant}/${id}`);
          return { tenant: this.tenant, id };
        }
      }
      const a = new Repo('acme');
      expect(await a.user('1')).toEqual({ tenant: 'acme', id: '1' });
      // Another instance with the same instance key shares the entry (as another process would).
      expect(await new Repo('acme').user('1')).toEqual({ tenant: 'acme', id: '1' });
      expect(await new Repo('zeta').user('1')).toEqual({ tenant: 'zeta', id: '1' });
      expect(loads).toEqual(['acme/1', 'zeta/1']);
      const key = `Repo.user:acme:${argsHash(['1'])}`;
      expect(await cache.get(key)).toEqual({ tenant: 'acme', id: '1' });
      expect(await cache.ttl(key)).toBeGreaterThan(50_000);
      expect(await cache.bust(a, 'user', '1')).toBe(true);
      expect(await cache.get(key)).toBeUndefined();
      await expect(cache.bust(a, 'tenant')).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(cache.bust(a, 'nothing')).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(new Cache(t.db, { name: 'deco3' }).bust(a, 'user', '1')).rejects.toBeInstanceOf(InvalidArgumentError);
    });

    it('caches static methods under the class name', async () => {
      const cache = new Cache<number>(t.db, { name: 'deco4' });
      let runs = 0;
      class Stats {
        @cache.method({ ttl: '1m' })
        static async total(scale: number): Promise<number> {
          runs++;
          return 42 * scale;
        }
      }
      expect(await Stats.total(2)).toBe(84);
      expect(await Stats.total(2)).toBe(84);
      expect(runs).toBe(1);
      let found = 0;
      for await (const k of cache.keys()) if (k.startsWith('Stats.total:')) found++;
      expect(found).toBe(1);
      expect(await cache.bust(Stats, 'total', 2)).toBe(true);
    });

    it('is typed for async methods and Promise getters only', () => {
      const cache = new Cache<number>(t.db, { name: 'types' });
      class Typed {
        // @ts-expect-error a synchronous method cannot be replaced by one returning a Promise
        @cache.method()
        sync(): number {
          return 1;
        }

        // @ts-expect-error the cache holds numbers
        @cache.method()
        async text(): Promise<string> {
          return 'x';
        }
      }
      expect(typeof new Typed().sync).toBe('function');
    });
  });
});
