import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { RedisStore } from 'rate-limit-redis';
import { Script } from '@walrus/core';
import { RateLimit, type RateLimitAlgorithm } from '@walrus/ratelimit';
import { concurrent, defineBenchmark, type BenchEnv, type Case, type MemoryCase } from '../harness';

// Every contender enforces 30 calls per minute per key over 1,000 keys: about half of the decisions are denials.
const LIMIT = 30;
const PER_MS = 60_000;
const KEYS = 1000;
const key = (i: number) => `user-${i % KEYS}`;

const ALGORITHMS: RateLimitAlgorithm[] = ['sliding-log', 'fixed-window', 'sliding-window', 'token-bucket', 'gcra'];

// The least a hand-rolled fixed window can do: INCR, and PEXPIRE on the first hit, in one script.
const rawFixedWindow = new Script(
  'raw-fixed-window',
  "local c = redis.call('INCR', KEYS[1]) if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return c",
);

type Decide = (k: string) => Promise<boolean>;

/** One opened contender: a decision function (true = limited) and its cleanup. */
type Opened = { decide: Decide; close?: () => Promise<void> };

const contenders: [string, (env: BenchEnv) => Promise<Opened>][] = [
  [
    'node-redis EVALSHA INCR+PEXPIRE',
    async (env) => ({
      decide: async (k) => Number(await env.raw.evalSha(rawFixedWindow.sha, { keys: [`raw:${k}`], arguments: [String(PER_MS)] })) > LIMIT,
    }),
  ],
  ...ALGORITHMS.map((algorithm): [string, (env: BenchEnv) => Promise<Opened>] => [
    `@walrus ${algorithm}`,
    async (env) => {
      const rl = new RateLimit(env.db, `rl-${algorithm}`, { limit: LIMIT, per: PER_MS, algorithm });
      return { decide: (k) => rl.limit(k) };
    },
  ]),
  [
    'rate-limiter-flexible RateLimiterRedis (node-redis)',
    async (env) => {
      const rl = new RateLimiterRedis({ storeClient: env.raw, useRedisPackage: true, points: LIMIT, duration: PER_MS / 1000, keyPrefix: 'rlf' });
      return { decide: (k) => rl.consume(k).then(() => false, limitedOrThrow) };
    },
  ],
  [
    'rate-limiter-flexible RateLimiterRedis (ioredis)',
    async (env) => {
      const client = new Redis(env.url, { lazyConnect: true });
      await client.connect();
      const rl = new RateLimiterRedis({ storeClient: client, points: LIMIT, duration: PER_MS / 1000, keyPrefix: 'rlfio' });
      return { decide: (k) => rl.consume(k).then(() => false, limitedOrThrow), close: async () => void client.disconnect() };
    },
  ],
  [
    'rate-limit-redis RedisStore (node-redis)',
    async (env) => {
      const store = new RedisStore({ sendCommand: (...args: string[]) => env.raw.sendCommand(args), prefix: 'rlr:' });
      store.init({ windowMs: PER_MS } as Parameters<RedisStore['init']>[0]);
      return { decide: async (k) => (await store.increment(k)).totalHits > LIMIT };
    },
  ],
];

function limitedOrThrow(err: unknown): boolean {
  // rate-limiter-flexible rejects with its result object when limited, and with an Error when Redis fails.
  if (err instanceof Error) throw err;
  return true;
}

function asCase(name: string, open: (env: BenchEnv) => Promise<Opened>): Case {
  let close: (() => Promise<void>) | undefined;
  const c = concurrent(name, async (env) => {
    const opened = await open(env);
    close = opened.close;
    return (i) => opened.decide(key(i));
  });
  return {
    name,
    async open(env) {
      const runner = await c.open(env);
      const closeThis = close;
      return { run: runner.run, close: async () => closeThis?.() };
    },
  };
}

/** Memory of `n` keys that each reached their limit. */
function memoryCase(name: string, open: (env: BenchEnv) => Promise<Opened>): MemoryCase {
  return {
    title: `${name}: one key at its limit (${LIMIT} calls)`,
    items: 2000,
    async fill(env, n) {
      const { decide, close } = await open(env);
      for (let round = 0; round < LIMIT; round++) await Promise.all(Array.from({ length: n }, (_, i) => decide(`mem-${i}`)));
      await close?.();
    },
  };
}

export default defineBenchmark({
  name: 'ratelimit',
  description: `@walrus/ratelimit decisions (${LIMIT} per minute, ${KEYS.toLocaleString('en-US')} keys) vs rate-limiter-flexible and rate-limit-redis`,
  comparisons: [
    {
      title: 'One decision per call, 100 concurrent callers',
      ops: 50_000,
      latency: true,
      prepare: async (env) => void (await env.raw.scriptLoad(rawFixedWindow.source)),
      cases: contenders.map(([name, open]) => asCase(name, open)),
    },
  ],
  memory: contenders.map(([name, open]) => memoryCase(name, open)),
});
