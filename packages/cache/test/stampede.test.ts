import { setTimeout as sleep } from 'node:timers/promises';
import { describeTopologies } from '@walrus/testing';
import { Cache } from '@walrus/cache';
import { watchKey } from './monitor';

describeTopologies('Cache stampede protection', (t) => {
  it('runs the function once for 100 concurrent calls on a cold key', async () => {
    const cache = new Cache<{ n: number }>(t.db, { name: 'sf' });
    let runs = 0;
    const slow = cache.cached(
      async (id: string) => {
        runs++;
        await sleep(50);
        return { n: runs, id };
      },
      { name: 'slow', ttl: '1m' },
    );
    const results = await Promise.all(Array.from({ length: 100 }, () => slow('cold')));
    expect(runs).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ n: 1, id: 'cold' })]));
    expect(slow.metrics).toMatchObject({ misses: 1, hits: 99, writes: 1 });
    // The value was stored once and later calls hit it.
    expect(await slow('cold')).toEqual({ n: 1, id: 'cold' });
    expect(runs).toBe(1);
  });

  it('shares one read among concurrent hits (one GET for 50 callers)', async () => {
    const cache = new Cache<number>(t.db, { name: 'sfhit' });
    await cache.set('k', 7);
    const watch = await watchKey(t, cache.redisKey('k'));
    try {
      const values = await Promise.all(Array.from({ length: 50 }, () => cache.getOrSet('k', () => -1)));
      expect(values).toEqual(Array(50).fill(7));
      await sleep(20);
      expect(watch.commands()).toEqual(['GET']);
    } finally {
      await watch.stop();
    }
  });

  it('does not cache errors, and every waiter gets the error', async () => {
    const cache = new Cache<string>(t.db, { name: 'err' });
    let runs = 0;
    const flaky = cache.cached(
      async () => {
        runs++;
        await sleep(30);
        if (runs === 1) throw new Error(`boom ${runs}`);
        return 'ok';
      },
      { name: 'flaky' },
    );
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => flaky()));
    expect(runs).toBe(1);
    expect(settled.every((s) => s.status === 'rejected' && (s.reason as Error).message === 'boom 1')).toBe(true);
    expect(await cache.has(flaky.key())).toBe(false);
    expect(await flaky()).toBe('ok');
    expect(runs).toBe(2);
    expect(await flaky()).toBe('ok');
    expect(runs).toBe(2);
  });

  it('rejects synchronous throws of the function as well', async () => {
    const cache = new Cache(t.db, { name: 'syncerr' });
    const bad = (): number => {
      throw new TypeError('sync');
    };
    await expect(cache.getOrSet('k', bad)).rejects.toThrow('sync');
    expect(await cache.has('k')).toBe(false);
  });

  it('lets an aborted caller stop waiting while the shared computation finishes for the others', async () => {
    const cache = new Cache<string>(t.db, { name: 'abort' });
    let runs = 0;
    const compute = async () => {
      runs++;
      await sleep(80);
      return 'done';
    };
    const ac = new AbortController();
    const first = cache.getOrSet('k', compute, { signal: ac.signal });
    const second = cache.getOrSet('k', compute);
    setTimeout(() => ac.abort(new Error('gave up')), 10);
    await expect(first).rejects.toThrow('gave up');
    expect(await second).toBe('done');
    expect(runs).toBe(1);
    expect(await cache.get('k')).toBe('done');
    // Aborted before the start: rejects without touching Redis.
    await expect(cache.getOrSet('other', compute, { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
    expect(runs).toBe(1);
  });

  it('serves a stale value within a bound while one caller refreshes in the background', async () => {
    const cache = new Cache<number>(t.db, { name: 'swr' });
    let version = 0;
    let running = 0;
    const load = cache.cached(
      async () => {
        running++;
        await sleep(500);
        running--;
        return ++version;
      },
      { name: 'load', ttl: 200, staleWhileRevalidate: '10s' },
    );
    expect(await load()).toBe(1);
    // Stored for ttl + window; the fresh part ends after 200 ms (Redis' clock).
    const pttl = Number(await t.rawCommand(['PTTL', cache.redisKey(load.key())], cache.redisKey(load.key())));
    expect(pttl).toBeGreaterThan(9_000);
    expect(pttl).toBeLessThanOrEqual(10_200);
    await sleep(250);

    const t0 = performance.now();
    const stale = await Promise.all(Array.from({ length: 20 }, () => load()));
    const elapsed = performance.now() - t0;
    expect(stale).toEqual(Array(20).fill(1));
    expect(elapsed).toBeLessThan(300); // the refresh takes 500 ms; nobody waited for it
    await sleep(20);
    expect(running).toBe(1); // exactly one refresh runs
    expect(load.metrics.stale).toBe(1);
    expect(await load()).toBe(1); // still stale while the refresh runs, no second refresh
    expect(running).toBe(1);

    for (let i = 0; i < 100 && version < 2; i++) await sleep(20);
    await sleep(20);
    expect(await load()).toBe(2);
    expect(version).toBe(2);
    expect(await cache.ttl(load.key())).toBeGreaterThan(50);
  });

  it('keeps the stale value when a background refresh fails, and reports the error', async () => {
    const errors: [unknown, string][] = [];
    const cache = new Cache<string>(t.db, { name: 'swrerr', staleWhileRevalidate: '5s', onBackgroundError: (e, k) => errors.push([e, k]) });
    await cache.set('k', 'old', { ttl: 50 });
    await sleep(80);
    expect(await cache.ttl('k')).toBe(0);
    expect(
      await cache.getOrSet('k', async () => {
        throw new Error('refresh failed');
      }),
    ).toBe('old');
    for (let i = 0; i < 50 && errors.length === 0; i++) await sleep(10);
    expect(errors).toHaveLength(1);
    expect((errors[0][0] as Error).message).toBe('refresh failed');
    expect(errors[0][1]).toBe('k');
    expect(await cache.get('k')).toBe('old');
  });

  it('treats an entry past its stale window as a miss', async () => {
    const cache = new Cache<string>(t.db, { name: 'swrgone' });
    await cache.getOrSet('k', () => 'v1', { ttl: 40, staleWhileRevalidate: 40 });
    await sleep(120);
    expect(await cache.getOrSet('k', () => 'v2', { ttl: 40, staleWhileRevalidate: 40 })).toBe('v2');
  });
});

describeTopologies('Cache round trips', (t) => {
  it('answers a hit with one command: GET, or one read script with a stale window', async () => {
    const plain = new Cache<number>(t.db, { name: 'rt' });
    const swr = new Cache<number>(t.db, { name: 'rtswr', staleWhileRevalidate: '1m' });
    await plain.set('k', 1);
    await swr.set('k', 2, { ttl: '1m' });
    await swr.getOrSet('k', () => 0); // loads the script on the key's node and the server info, once
    const a = await watchKey(t, plain.redisKey('k'));
    const b = await watchKey(t, swr.redisKey('k'));
    try {
      expect(await plain.getOrSet('k', () => -1)).toBe(1);
      expect(await swr.getOrSet('k', () => -1)).toBe(2);
      await sleep(20);
      expect(a.commands()).toEqual(['GET']);
      expect(b.commands()).toHaveLength(1);
      expect(b.commands()[0]).toMatch(/^EVALSHA/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('computes a miss with one read and one write', async () => {
    const cache = new Cache<number>(t.db, { name: 'rtmiss' });
    const w = await watchKey(t, cache.redisKey('k'));
    try {
      expect(await cache.getOrSet('k', () => 5, { ttl: '1m' })).toBe(5);
      await sleep(20);
      expect(w.commands()).toEqual(['GET', 'SET']);
    } finally {
      await w.stop();
    }
  });
});
