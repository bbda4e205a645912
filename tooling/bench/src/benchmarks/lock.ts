import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { Mutex, Semaphore as RsSemaphore } from 'redis-semaphore';
import { connect } from '@walrus/core';
import { Lock, Semaphore } from '@walrus/lock';
import { defineBenchmark, type BenchEnv, type Case, type Table } from '../harness';

// redlock 4 ships no type declarations: load it through require with the little of its API used here.
interface RedlockLock {
  unlock(): Promise<void>;
}
interface RedlockInstance {
  lock(resource: string, ttl: number): Promise<RedlockLock>;
}
type RedlockClass = new (clients: unknown[], o?: { retryCount?: number; retryDelay?: number; retryJitter?: number }) => RedlockInstance;
const Redlock = createRequire(import.meta.url)('redlock') as RedlockClass;

const TTL = 10_000;
const unlockSource = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/** A case running one acquire + release at a time (no contention). */
function sequential(name: string, open: (env: BenchEnv) => Promise<{ op(i: number): Promise<unknown>; close(): Promise<unknown> }>): Case {
  return {
    name,
    async open(env) {
      const c = await open(env);
      let i = 0;
      return {
        async run(n) {
          for (let k = 0; k < n; k++) await c.op(i++);
        },
        close: async () => void (await c.close()),
      };
    },
  };
}

/** One contender of a hand-off run: takes the lock (or a permit) and returns the function that gives it back. */
type Contender = (resource: string) => Promise<() => Promise<unknown>>;

interface ContenderSet {
  contenders: Contender[];
  close(): Promise<unknown>;
}

const lockLibraries: [string, (env: BenchEnv, n: number) => Promise<ContenderSet>][] = [
  [
    '@walrus Lock (node-redis), one handle per contender',
    async (env, n) => {
      const dbs = await Promise.all(Array.from({ length: n }, () => connect(env.url)));
      return {
        contenders: dbs.map((db) => async (resource) => {
          const lease = (await new Lock(db, resource, { ttl: TTL }).acquire())!;
          return () => lease.release();
        }),
        close: () => Promise.all(dbs.map((db) => db.close())),
      };
    },
  ],
  [
    '@walrus Lock (node-redis), all contenders on one handle',
    async (env, n) => {
      const db = await connect(env.url);
      return {
        contenders: Array.from({ length: n }, () => async (resource: string) => {
          const lease = (await new Lock(db, resource, { ttl: TTL }).acquire())!;
          return () => lease.release();
        }),
        close: () => db.close(),
      };
    },
  ],
  [
    'redlock 4 (ioredis), defaults: retryDelay 200 ms + jitter 200 ms',
    async (env, n) => {
      const clients = Array.from({ length: n }, () => new Redis(env.url));
      return {
        contenders: clients.map((c) => {
          const redlock = new Redlock([c], { retryCount: -1 });
          return async (resource) => {
            const lock = await redlock.lock(resource, TTL);
            return () => lock.unlock();
          };
        }),
        close: () => Promise.all(clients.map((c) => c.quit())),
      };
    },
  ],
  [
    'redlock 4 (ioredis), retryDelay 10 ms + jitter 10 ms',
    async (env, n) => {
      const clients = Array.from({ length: n }, () => new Redis(env.url));
      return {
        contenders: clients.map((c) => {
          const redlock = new Redlock([c], { retryCount: -1, retryDelay: 10, retryJitter: 10 });
          return async (resource) => {
            const lock = await redlock.lock(resource, TTL);
            return () => lock.unlock();
          };
        }),
        close: () => Promise.all(clients.map((c) => c.quit())),
      };
    },
  ],
  [
    'redis-semaphore Mutex (ioredis), defaults: retryInterval 10 ms',
    async (env, n) => {
      const clients = Array.from({ length: n }, () => new Redis(env.url));
      return {
        contenders: clients.map((c) => async (resource) => {
          const m = new Mutex(c, resource, { lockTimeout: TTL, acquireTimeout: 60_000, refreshInterval: 0 });
          await m.acquire();
          return () => m.release();
        }),
        close: () => Promise.all(clients.map((c) => c.quit())),
      };
    },
  ],
];

const semaphoreLibraries: [string, (env: BenchEnv, n: number, limit: number) => Promise<ContenderSet>][] = [
  [
    '@walrus Semaphore (node-redis), one handle per contender',
    async (env, n, limit) => {
      const dbs = await Promise.all(Array.from({ length: n }, () => connect(env.url)));
      return {
        contenders: dbs.map((db) => async (resource) => {
          const permit = (await new Semaphore(db, resource, limit, { ttl: TTL }).acquire())!;
          return () => permit.release();
        }),
        close: () => Promise.all(dbs.map((db) => db.close())),
      };
    },
  ],
  [
    'redis-semaphore Semaphore (ioredis), defaults: retryInterval 10 ms',
    async (env, n, limit) => {
      const clients = Array.from({ length: n }, () => new Redis(env.url));
      return {
        contenders: clients.map((c) => async (resource) => {
          const s = new RsSemaphore(c, resource, limit, { lockTimeout: TTL, acquireTimeout: 60_000, refreshInterval: 0 });
          await s.acquire();
          return () => s.release();
        }),
        close: () => Promise.all(clients.map((c) => c.quit())),
      };
    },
  ],
];

function commandCalls(info: string): number {
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info' && m[1] !== 'config') calls += Number(m[2]);
  return calls;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/**
 * `n` contenders loop: take, hold `holdMs`, give back, then stay away `thinkMs` (so a releaser does not take
 * it straight back and the next holder is one that was waiting). A hand-off is the time from the start of a
 * release to the moment a waiter holds. With `limit` > 1, only releases made while someone waited count.
 */
async function handoffs(env: BenchEnv, set: ContenderSet, resource: string, acquisitions: number, limit: number): Promise<(string | number)[]> {
  const holdMs = 2;
  const thinkMs = 5;
  let taken = 0;
  let waiting = 0;
  const pendingReleases: number[] = [];
  const gaps: number[] = [];
  await env.raw.configResetStat();
  const t0 = performance.now();
  await Promise.all(
    set.contenders.map(async (take) => {
      while (taken < acquisitions) {
        waiting++;
        const give = await take(resource);
        waiting--;
        const at = performance.now();
        const releasedAt = pendingReleases.shift();
        if (releasedAt !== undefined) gaps.push(at - releasedAt);
        taken++;
        await sleep(holdMs);
        if (waiting > 0) pendingReleases.push(performance.now());
        await give();
        await sleep(thinkMs);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const calls = commandCalls(await env.raw.info('commandstats'));
  gaps.sort((a, b) => a - b);
  const mean = gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length);
  return [taken, Math.round(taken / seconds), gaps.length, percentile(gaps, 0.5), percentile(gaps, 0.99), mean, calls / taken];
}

export default defineBenchmark({
  name: 'lock',
  description: '@walrus/lock: uncontended cost, and hand-off latency under contention vs redlock and redis-semaphore',
  comparisons: [
    {
      title: 'Uncontended acquire + release, one at a time',
      ops: 5_000,
      latency: true,
      cases: [
        sequential('node-redis SET NX PX + EVALSHA compare-and-delete', async (env) => {
          const raw = createClient({ url: env.url });
          await raw.connect();
          const sha = await raw.scriptLoad(unlockSource);
          return {
            op: async (i) => {
              const token = `t${i}`;
              await raw.set('bench', token, { condition: 'NX', expiration: { type: 'PX', value: TTL } });
              await raw.evalSha(sha, { keys: ['bench'], arguments: [token] });
            },
            close: () => raw.close(),
          };
        }),
        sequential('@walrus Lock acquire + lease.release', async (env) => {
          const db = await connect(env.url);
          const lock = new Lock(db, 'bench', { ttl: TTL });
          return { op: async () => (await lock.acquire())!.release(), close: () => db.close() };
        }),
        sequential('@walrus Lock acquire({ block: false }) + release', async (env) => {
          const db = await connect(env.url);
          const lock = new Lock(db, 'bench', { ttl: TTL });
          return { op: async () => (await lock.acquire({ block: false }))!.release(), close: () => db.close() };
        }),
        sequential('@walrus Semaphore(1) acquire + permit.release', async (env) => {
          const db = await connect(env.url);
          const sem = new Semaphore(db, 'bench', 1, { ttl: TTL });
          return { op: async () => (await sem.acquire())!.release(), close: () => db.close() };
        }),
        sequential('redlock 4 (ioredis) lock + unlock', async (env) => {
          const c = new Redis(env.url);
          const redlock = new Redlock([c]);
          return { op: async () => (await redlock.lock('bench', TTL)).unlock(), close: () => c.quit() };
        }),
        sequential('redis-semaphore Mutex (ioredis) acquire + release', async (env) => {
          const c = new Redis(env.url);
          return {
            op: async () => {
              const m = new Mutex(c, 'bench', { lockTimeout: TTL, refreshInterval: 0 });
              await m.acquire();
              await m.release();
            },
            close: () => c.quit(),
          };
        }),
      ],
    },
  ],
  async tables(env) {
    const contenders = 10;
    const acquisitions = Math.max(60, Math.round(300 * (Number(process.argv[process.argv.indexOf('--scale') + 1]) || 1)));
    const columns = ['library', 'acquisitions', 'acquisitions/s', 'hand-offs', 'hand-off p50 ms', 'hand-off p99 ms', 'hand-off mean ms', 'Redis commands/acquisition'];
    const lockRows: (string | number)[][] = [];
    for (const [label, open] of lockLibraries) {
      await env.raw.flushAll();
      const set = await open(env, contenders);
      lockRows.push([label, ...(await handoffs(env, set, 'handoff', acquisitions, 1))]);
      await set.close();
    }
    const limit = 3;
    const semRows: (string | number)[][] = [];
    for (const [label, open] of semaphoreLibraries) {
      await env.raw.flushAll();
      const set = await open(env, contenders, limit);
      semRows.push([label, ...(await handoffs(env, set, 'handoff', acquisitions, limit))]);
      await set.close();
    }
    const lockTable: Table = {
      title: `Lock hand-off with ${contenders} contenders (each holds 2 ms, then stays away 5 ms; hand-off = release start to next holder)`,
      columns,
      rows: lockRows,
    };
    const semTable: Table = {
      title: `Semaphore(${limit}) hand-off with ${contenders} contenders (same loop; hand-offs counted when someone was waiting)`,
      columns,
      rows: semRows,
    };
    return [lockTable, semTable];
  },
});
