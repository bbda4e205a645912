import { setTimeout as sleep } from 'node:timers/promises';
import { cachified, totalTtl, type Cache as CachifiedCache, type CacheEntry } from '@epic-web/cachified';
import KeyvRedis from '@keyv/redis';
import { BentoCache, bentostore } from 'bentocache';
import { redisDriver } from 'bentocache/drivers/redis';
import Keyv from 'keyv';
import { createClient } from 'redis';
import { Cache } from '@walrus/cache';
import { connect } from '@walrus/core';
import { concurrent, defineBenchmark, type BenchEnv, type Case, type RawClient, type Table } from '../harness';

const TTL_MS = 60_000;
const HOT_KEYS = 1000;
const MANY = 100;

/** The value every contender caches: a small JSON document. */
const compute = (i: number) => ({ id: i, name: `user ${i}`, tags: ['a', 'b'], score: i * 1.5 });

/** A cachified adapter over node-redis, written as cachified's README shows for redis (value + metadata as JSON, PXAT from its TTL). */
function cachifiedRedis(redis: RawClient): CachifiedCache {
  return {
    name: 'node-redis',
    async get(key) {
      const text = await redis.get(key);
      return text === null ? null : (JSON.parse(text) as CacheEntry);
    },
    async set(key, entry) {
      const ttl = totalTtl(entry.metadata);
      const text = JSON.stringify(entry);
      return Number.isFinite(ttl) ? redis.set(key, text, { expiration: { type: 'PXAT', value: entry.metadata.createdTime + ttl } }) : redis.set(key, text);
    },
    delete: (key) => redis.del(key),
  };
}

/**
 * A node-redis client configured like the one @walrus connect() makes (no per-command timeout: node-redis 6's
 * default 5 s timer throttles concurrent work), so every contender on node-redis runs on the same client settings.
 */
async function rawClient(env: BenchEnv): Promise<RawClient> {
  const c: RawClient = createClient({ url: env.url, commandOptions: { timeout: 0 } });
  c.on('error', () => {});
  await c.connect();
  return c;
}

/** A case whose `open` may register things to close when the case ends. */
function closing(name: string, open: (env: BenchEnv, onClose: (fn: () => Promise<unknown>) => void) => Promise<(i: number) => Promise<unknown>>, concurrency?: number): Case {
  let closers: (() => Promise<unknown>)[] = [];
  return concurrent(
    name,
    (env) => {
      closers = [];
      return open(env, (fn) => closers.push(fn));
    },
    { concurrency, close: async () => void (await Promise.allSettled(closers.map((fn) => fn()))) },
  );
}

function bento(env: BenchEnv): BentoCache<{ redis: ReturnType<typeof bentostore> }> {
  const { hostname, port } = new URL(env.url);
  return new BentoCache({
    default: 'redis',
    stores: { redis: bentostore().useL2Layer(redisDriver({ connection: { host: hostname, port: Number(port) } })) },
  });
}

type GetOrSet = (key: string, i: number) => Promise<unknown>;

/** The same get-or-compute-and-store operation for every contender. `keyOf(i)` picks the key of operation i. */
function contenders(keyOf: (i: number) => string, o: { warm: boolean }): Case[] {
  const make = (name: string, open: (env: BenchEnv) => Promise<{ op: GetOrSet; close(): Promise<void> }>): Case =>
    closing(name, async (env, onClose) => {
      const opened = await open(env);
      onClose(opened.close);
      if (o.warm) for (let i = 0; i < HOT_KEYS; i++) await opened.op(keyOf(i), i);
      return (i) => opened.op(keyOf(i), i);
    });
  return [
    make('node-redis GET / SET PX (by hand, no timeout)', async (env) => {
      const c = await rawClient(env);
      return {
        op: async (key, i) => {
          const text = await c.get(key);
          if (text !== null) return JSON.parse(text) as unknown;
          const v = compute(i);
          await c.set(key, JSON.stringify(v), { expiration: { type: 'PX', value: TTL_MS } });
          return v;
        },
        close: async () => void (await c.close()),
      };
    }),
    make('@walrus/cache getOrSet', async (env) => {
      const db = await connect(env.url);
      const cache = new Cache(db, { name: 'c', defaultTtl: TTL_MS });
      return { op: (key, i) => cache.getOrSet(key, () => compute(i)), close: () => db.close() };
    }),
    make('@walrus/cache getOrSet + staleWhileRevalidate', async (env) => {
      const db = await connect(env.url);
      const cache = new Cache(db, { name: 'c', defaultTtl: TTL_MS, staleWhileRevalidate: '10s' });
      return { op: (key, i) => cache.getOrSet(key, () => compute(i)), close: () => db.close() };
    }),
    make('@epic-web/cachified (node-redis adapter)', async (env) => {
      const c = await rawClient(env);
      const cache = cachifiedRedis(c);
      return { op: (key, i) => cachified({ key, cache, ttl: TTL_MS, getFreshValue: () => compute(i) }), close: async () => void (await c.close()) };
    }),
    make('keyv + @keyv/redis (get, then set)', async (env) => {
      const keyv = new Keyv({ store: new KeyvRedis(env.url), namespace: 'c' });
      return {
        op: async (key, i) => {
          const hit: unknown = await keyv.get(key);
          if (hit !== undefined) return hit;
          const v = compute(i);
          await keyv.set(key, v, TTL_MS);
          return v;
        },
        close: () => keyv.disconnect(),
      };
    }),
    make('bentocache getOrSet (redis L2 only)', async (env) => {
      const bc = bento(env);
      return { op: (key, i) => bc.getOrSet({ key, ttl: TTL_MS, factory: () => compute(i) }), close: () => bc.disconnectAll() };
    }),
  ];
}

/** Runs `n` concurrent calls on one cold key and reports how often the function ran and how long it took. */
async function stampede(label: string, n: number, call: (fn: () => Promise<unknown>) => Promise<unknown>): Promise<(string | number)[]> {
  let runs = 0;
  const fn = async () => {
    runs++;
    await sleep(50);
    return compute(1);
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => call(fn)));
  return [label, n, runs, Math.round(performance.now() - t0)];
}

export default defineBenchmark({
  name: 'cache',
  description: '@walrus/cache vs cachified, keyv and bentocache on the same Redis',
  comparisons: [
    {
      title: `Hit: get-or-compute on ${HOT_KEYS} warm keys`,
      ops: 50_000,
      latency: true,
      cases: contenders((i) => `hot:${i % HOT_KEYS}`, { warm: true }),
    },
    {
      title: 'Miss: get-or-compute on a cold key (read, compute, store with TTL)',
      ops: 20_000,
      cases: contenders((i) => `cold:${i}`, { warm: false }),
    },
    {
      title: `getMany of ${MANY} keys (all present)`,
      ops: 2_000,
      cases: [
        closing(
          'node-redis MGET',
          async (env, onClose) => {
            const c = await rawClient(env);
            onClose(() => c.close());
            const keys = Array.from({ length: MANY }, (_, i) => `m:${i}`);
            await c.mSet(keys.map((k, i) => [k, JSON.stringify(compute(i))] as [string, string]));
            return async () => (await c.mGet(keys)).map((t) => (t === null ? undefined : (JSON.parse(t) as unknown)));
          },
          10,
        ),
        closing(
          '@walrus/cache getMany',
          async (env, onClose) => {
            const db = await connect(env.url);
            onClose(() => db.close());
            const cache = new Cache(db, { name: 'm' });
            const keys = Array.from({ length: MANY }, (_, i) => String(i));
            await cache.setMany(Object.fromEntries(keys.map((k, i) => [k, compute(i)])), { ttl: TTL_MS });
            return () => cache.getMany(keys);
          },
          10,
        ),
        closing(
          'keyv + @keyv/redis getMany',
          async (env, onClose) => {
            const keyv = new Keyv({ store: new KeyvRedis(env.url), namespace: 'm' });
            onClose(() => keyv.disconnect());
            const keys = Array.from({ length: MANY }, (_, i) => String(i));
            await keyv.setMany(keys.map((key, i) => ({ key, value: compute(i), ttl: TTL_MS })));
            return () => keyv.getMany(keys);
          },
          10,
        ),
      ],
    },
  ],
  async tables(env) {
    const n = 100;
    const rows: (string | number)[][] = [];
    const raw = await rawClient(env);
    const db = await connect(env.url);
    const keyv = new Keyv({ store: new KeyvRedis(env.url), namespace: 's' });
    const bc = bento(env);
    try {
      rows.push(
        await stampede('node-redis GET / SET PX (by hand)', n, async (fn) => {
          const text = await raw.get('s:hand');
          if (text !== null) return JSON.parse(text) as unknown;
          const v = await fn();
          await raw.set('s:hand', JSON.stringify(v), { expiration: { type: 'PX', value: TTL_MS } });
          return v;
        }),
      );
      const cache = new Cache(db, { name: 's', defaultTtl: TTL_MS });
      rows.push(await stampede('@walrus/cache getOrSet', n, (fn) => cache.getOrSet('walrus', fn)));
      const cc = cachifiedRedis(raw);
      rows.push(await stampede('@epic-web/cachified', n, (fn) => cachified({ key: 's:cachified', cache: cc, ttl: TTL_MS, getFreshValue: fn })));
      rows.push(
        await stampede('keyv + @keyv/redis (get, then set)', n, async (fn) => {
          const hit: unknown = await keyv.get('keyv');
          if (hit !== undefined) return hit;
          const v = await fn();
          await keyv.set('keyv', v, TTL_MS);
          return v;
        }),
      );
      rows.push(await stampede('bentocache getOrSet', n, (fn) => bc.getOrSet({ key: 's:bento', ttl: TTL_MS, factory: fn })));
    } finally {
      await Promise.allSettled([raw.close(), db.close(), keyv.disconnect(), bc.disconnectAll()]);
    }
    const table: Table = {
      title: `Stampede: ${n} concurrent calls on one cold key (function takes 50 ms)`,
      columns: ['library', 'calls', 'function runs', 'ms'],
      rows,
    };
    return [table];
  },
});
