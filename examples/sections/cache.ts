import { setTimeout as sleep } from 'node:timers/promises';
import { Cache } from '@walrus/cache';
import type { Walrus } from '@walrus/core';

export async function tour(db: Walrus): Promise<void> {
  const cache = new Cache(db, { name: 'cache' });

  // Plain get/set with a TTL; batch calls are one round trip each.
  await cache.set('foo', 'bar', { ttl: '10s' });
  console.log('get(foo) ->', await cache.get('foo'), `(expires in ~${Math.round((await cache.ttl('foo')) ?? 0)} ms)`);
  await cache.setMany({ k1: 'v1', k2: 'v2' }, { ttl: '5m' });
  console.log('getMany(k1, kx, k2) ->', Object.fromEntries(await cache.getMany(['k1', 'kx', 'k2'])));
  console.log('deleteMany(k1, kx, k2) ->', await cache.deleteMany(['k1', 'kx', 'k2']));

  // A memoised function: runs once per argument list until bust() or expiry; null results are cached too.
  let calls = 0;
  const getTime = cache.cached(
    async (seed?: string) => {
      calls++;
      return `${new Date().toISOString()}${seed ? ` (${seed})` : ''}`;
    },
    { name: 'getTime', ttl: '1m' },
  );
  console.log('getTime() ->', await getTime(), '| again ->', await getTime(), `| function ran ${calls}x`);
  console.log("getTime('foo') ->", await getTime('foo'));
  await getTime.bust('foo');
  console.log("after bust('foo'), getTime('foo') runs again ->", await getTime('foo'), `| function ran ${calls}x`);

  // A stampede: 100 concurrent calls on a cold key run the function once.
  let runs = 0;
  const report = cache.cached(
    async () => {
      runs++;
      await sleep(50);
      return { total: 42 };
    },
    { name: 'report', ttl: '1m' },
  );
  await Promise.all(Array.from({ length: 100 }, () => report()));
  const { hits, misses, writes } = report.metrics;
  console.log(`100 concurrent report() calls -> the function ran ${runs}x (hits ${hits}, misses ${misses}, writes ${writes})`);

  // Stale-while-revalidate: after the TTL, callers get the old value at once while one refresh runs.
  let version = 0;
  const price = cache.cached(
    async () => {
      await sleep(100);
      return ++version;
    },
    { name: 'price', ttl: 100, staleWhileRevalidate: '5s' },
  );
  console.log('price() ->', await price());
  await sleep(150);
  const t0 = performance.now();
  console.log(`stale price() -> ${await price()} in ${Math.round(performance.now() - t0)} ms (refreshing in the background)`);
  await sleep(200);
  console.log('price() after the refresh ->', await price());

  // A cached method (the cached_property analog): per instance, per arguments.
  class Clock {
    @cache.method({ ttl: '1m' })
    get now(): Promise<string> {
      return Promise.resolve(new Date().toISOString());
    }
  }
  const clock = new Clock();
  const first = await clock.now;
  await sleep(5);
  console.log('clock.now ->', first, '| again (cached) ->', await clock.now);

  console.log('flush() removed', await cache.flush(), 'entries; get(foo) ->', await cache.get('foo'));
}
