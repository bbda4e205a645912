import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { BloomFilter, Hash, List, RedisArray, RedisSet, ZSet } from '@walrus/containers';
import { concurrent, defineBenchmark, type BenchEnv, type Case, type Comparison, type Table } from '../harness';

type Raw = ReturnType<typeof createClient>;

/**
 * A case on a node-redis client of its own. `tuned` makes it like the client `connect()` builds (no per-command
 * timeout), so the ratio against @walrus shows the library's own overhead; without it, node-redis defaults.
 */
function rawCase(name: string, tuned: boolean, op: (c: Raw, i: number) => Promise<unknown>): Case {
  return {
    name,
    async open(env) {
      const c: Raw = createClient({ url: env.url, ...(tuned ? { commandOptions: { timeout: 0 } } : {}) });
      await c.connect();
      const runner = await concurrent(name, async () => (i) => op(c, i)).open(env);
      return { run: (n) => runner.run(n), close: async () => void (await c.close()) };
    },
  };
}

const LIST = 'bench:list';
const ARRAY = 'bench:array';
const FILL = 50_000;

/** Fills a list and an array (Python layout) with `n` elements each, in batches. */
async function fillListAndArray(env: BenchEnv, n = FILL): Promise<void> {
  for (let start = 0; start < n; start += 1000) {
    const end = Math.min(n, start + 1000);
    const values = Array.from({ length: end - start }, (_, j) => `value-${start + j}`);
    await env.raw.sendCommand(['RPUSH', LIST, ...values]);
    await env.raw.sendCommand(['HSET', ARRAY, ...values.flatMap((v, j) => [String(start + j), v])]);
  }
}

/** "Array vs List": the same operation on a List (raw and @walrus) and on a RedisArray. */
function arrayVsList(title: string, ops: number, raw: (c: Raw, i: number) => Promise<unknown>, list: (l: List, i: number) => Promise<unknown>, array: (a: RedisArray, i: number) => Promise<unknown>): Comparison {
  return {
    title,
    ops,
    prepare: (env) => fillListAndArray(env),
    cases: [
      rawCase('node-redis List command (no timeout)', true, raw),
      concurrent('@walrus List', async (env) => {
        const l = new List(env.db, LIST);
        return (i) => list(l, i);
      }),
      concurrent('@walrus RedisArray (hash + Lua)', async (env) => {
        const a = new RedisArray(env.db, ARRAY);
        return (i) => array(a, i);
      }),
    ],
  };
}

/**
 * "Library overhead": one container method against node-redis sending the same command (`args(i)`), and against
 * @walrus/core's `db.command` with it, which separates the container layer from the core command path.
 */
function overhead(title: string, ops: number, args: (i: number) => string[], walrus: (env: BenchEnv) => (i: number) => Promise<unknown>, prepare?: Comparison['prepare']): Comparison {
  return {
    title,
    ops,
    prepare,
    cases: [
      rawCase('node-redis sendCommand (no timeout, as connect() sets it)', true, (c, i) => c.sendCommand(args(i))),
      concurrent('@walrus/core db.command', async (env) => (i) => env.db.command(args(i))),
      concurrent('@walrus container method', async (env) => walrus(env)),
      rawCase('node-redis sendCommand, defaults (5 s command timeout)', false, (c, i) => c.sendCommand(args(i))),
    ],
  };
}

/** The bits the Python library (and BloomFilter) sets for an item, as a raw BITFIELD. */
function bloomArgs(cmd: 'BITFIELD' | 'BITFIELD_RO', key: string, item: string, bits: number): string[] {
  const d = createHash('md5').update(item).digest();
  const args = [cmd, key];
  for (const o of [0, 4, 8, 12]) {
    const pos = String(d.readUInt32BE(o) % bits);
    args.push(...(cmd === 'BITFIELD' ? ['SET', 'u1', pos, '1'] : ['GET', 'u1', pos]));
  }
  return args;
}

const BLOOM_BITS = 65_536 * 8;
const HASHES = 4;
/** Items for which 4 hash functions are optimal on 524,288 bits: m·ln2/k. */
const DESIGN_CAPACITY = Math.round((BLOOM_BITS * Math.LN2) / HASHES);

async function bloomFalsePositives(env: BenchEnv): Promise<Table> {
  const rows: (string | number)[][] = [];
  const probes = 20_000;
  for (const share of [0.1, 0.5, 0.9]) {
    const bf = new BloomFilter(env.db, `bench:bloom:${share}`);
    const n = Math.round(DESIGN_CAPACITY * share);
    for (let i = 0; i < n; i += 1000) await bf.add(...Array.from({ length: Math.min(1000, n - i) }, (_, j) => `member-${i + j}`));
    let positives = 0;
    for (let i = 0; i < probes; i += 1000) {
      const answers = await Promise.all(Array.from({ length: 1000 }, (_, j) => bf.has(`stranger-${i + j}`)));
      positives += answers.filter(Boolean).length;
    }
    let missed = 0;
    const sample = Array.from({ length: Math.min(n, 2000) }, (_, j) => `member-${Math.floor((j * n) / Math.min(n, 2000))}`);
    for (const has of await Promise.all(sample.map((m) => bf.has(m)))) if (!has) missed++;
    const theory = (1 - Math.exp((-HASHES * n) / BLOOM_BITS)) ** HASHES;
    rows.push([`${share * 100}%`, n, probes, positives, `${((positives / probes) * 100).toFixed(3)}%`, `${(theory * 100).toFixed(3)}%`, missed]);
  }
  return {
    title: `BloomFilter false positives (64 KB = ${BLOOM_BITS.toLocaleString('en-US')} bits, 4 hashes; design capacity m·ln2/k = ${DESIGN_CAPACITY.toLocaleString('en-US')} items)`,
    columns: ['filled', 'items added', 'non-members probed', 'false positives', 'measured rate', 'theory (1−e^(−kn/m))^k', 'false negatives (of ≤2000 members)'],
    rows,
  };
}

export default defineBenchmark({
  name: 'containers',
  description: '@walrus/containers: RedisArray vs List, BloomFilter, and container methods vs raw node-redis',
  comparisons: [
    arrayVsList('Get by index: LINDEX vs RedisArray.at (HGET)', 40_000, (c, i) => c.sendCommand(['LINDEX', LIST, String(i % 1000)]), (l, i) => l.at(i % 1000), (a, i) => a.at(i % 1000)),
    arrayVsList('Get near the end: LINDEX -i vs RedisArray.at(-i) (script)', 40_000, (c, i) => c.sendCommand(['LINDEX', LIST, String(-1 - (i % 1000))]), (l, i) => l.at(-1 - (i % 1000)), (a, i) => a.at(-1 - (i % 1000))),
    arrayVsList('Get in the middle of 50,000: LINDEX (O(n)) vs RedisArray.at (O(1))', 10_000, (c, i) => c.sendCommand(['LINDEX', LIST, String(25_000 + (i % 100))]), (l, i) => l.at(25_000 + (i % 100)), (a, i) => a.at(25_000 + (i % 100))),
    arrayVsList('Set by index: LSET vs RedisArray.set (script)', 40_000, (c, i) => c.sendCommand(['LSET', LIST, String(i % 1000), `v${i}`]), (l, i) => l.set(i % 1000, `v${i}`), (a, i) => a.set(i % 1000, `v${i}`)),
    arrayVsList('Append: RPUSH vs RedisArray.push (script)', 40_000, (c, i) => c.sendCommand(['RPUSH', LIST, `v${i}`]), (l, i) => l.push(`v${i}`), (a, i) => a.push(`v${i}`)),
    arrayVsList('Pop the last element: RPOP vs RedisArray.pop (script)', 20_000, (c) => c.sendCommand(['RPOP', LIST]), (l) => l.pop(), (a) => a.pop()),
    {
      title: 'BloomFilter.add (one item) vs a raw BITFIELD with the same four SET u1',
      ops: 40_000,
      cases: [
        rawCase('node-redis BITFIELD (md5 in the loop, no timeout)', true, (c, i) => c.sendCommand(bloomArgs('BITFIELD', 'bench:bloom', `item-${i}`, BLOOM_BITS))),
        concurrent('@walrus BloomFilter.add', async (env) => {
          const bf = new BloomFilter(env.db, 'bench:bloom');
          return (i) => bf.add(`item-${i}`);
        }),
      ],
    },
    {
      title: 'BloomFilter.has vs a raw BITFIELD_RO with the same four GET u1',
      ops: 40_000,
      prepare: async (env) => {
        const bf = new BloomFilter(env.db, 'bench:bloom');
        for (let i = 0; i < 10_000; i += 1000) await bf.add(...Array.from({ length: 1000 }, (_, j) => `item-${i + j}`));
      },
      cases: [
        rawCase('node-redis BITFIELD_RO (md5 in the loop, no timeout)', true, (c, i) => c.sendCommand(bloomArgs('BITFIELD_RO', 'bench:bloom', `item-${i % 20_000}`, BLOOM_BITS))),
        concurrent('@walrus BloomFilter.has', async (env) => {
          const bf = new BloomFilter(env.db, 'bench:bloom');
          return (i) => bf.has(`item-${i % 20_000}`);
        }),
      ],
    },
    overhead('Hash.set vs HSET', 50_000, (i) => ['HSET', 'bench:h', `f${i % 1000}`, 'v'], (env) => {
      const h = new Hash(env.db, 'bench:h');
      return (i) => h.set(`f${i % 1000}`, 'v');
    }),
    overhead('Hash.get vs HGET', 50_000, (i) => ['HGET', 'bench:h', `f${i % 1000}`], (env) => {
      const h = new Hash(env.db, 'bench:h');
      return (i) => h.get(`f${i % 1000}`);
    }, async (env) => void (await env.raw.sendCommand(['HSET', 'bench:h', ...Array.from({ length: 1000 }, (_, i) => [`f${i}`, 'v']).flat()]))),
    overhead('List.push vs RPUSH', 50_000, (i) => ['RPUSH', 'bench:l', `v${i}`], (env) => {
      const l = new List(env.db, 'bench:l');
      return (i) => l.push(`v${i}`);
    }),
    overhead('RedisSet.add vs SADD', 50_000, (i) => ['SADD', 'bench:s', `m${i % 5000}`], (env) => {
      const s = new RedisSet(env.db, 'bench:s');
      return (i) => s.add(`m${i % 5000}`);
    }),
    overhead('RedisSet.has vs SISMEMBER', 50_000, (i) => ['SISMEMBER', 'bench:s', `m${i % 5000}`], (env) => {
      const s = new RedisSet(env.db, 'bench:s');
      return (i) => s.has(`m${i % 5000}`);
    }),
    overhead('ZSet.add vs ZADD', 50_000, (i) => ['ZADD', 'bench:z', String(i), `m${i % 5000}`], (env) => {
      const z = new ZSet(env.db, 'bench:z');
      return (i) => z.add([[`m${i % 5000}`, i]]);
    }),
    overhead('ZSet.score vs ZSCORE', 50_000, (i) => ['ZSCORE', 'bench:z', `m${i % 1000}`], (env) => {
      const z = new ZSet(env.db, 'bench:z');
      return (i) => z.score(`m${i % 1000}`);
    }, async (env) => void (await env.raw.sendCommand(['ZADD', 'bench:z', ...Array.from({ length: 1000 }, (_, i) => [String(i), `m${i}`]).flat()]))),
    overhead('ZSet.rangeByScore (10 with scores) vs ZRANGE BYSCORE LIMIT WITHSCORES', 30_000, (i) => ['ZRANGE', 'bench:z', String(i % 900), '+inf', 'BYSCORE', 'LIMIT', '0', '10', 'WITHSCORES'], (env) => {
      const z = new ZSet(env.db, 'bench:z');
      return (i) => z.rangeByScore(i % 900, null, { limit: { offset: 0, count: 10 }, withScores: true });
    }, async (env) => void (await env.raw.sendCommand(['ZADD', 'bench:z', ...Array.from({ length: 1000 }, (_, i) => [String(i), `m${i}`]).flat()]))),
  ],
  memory: [
    {
      title: 'List, short string elements',
      items: 100_000,
      fill: async (env, n) => {
        for (let i = 0; i < n; i += 1000) await env.raw.sendCommand(['RPUSH', 'mem:list', ...Array.from({ length: Math.min(1000, n - i) }, (_, j) => `value-${i + j}`)]);
      },
    },
    {
      title: 'RedisArray (hash "0".."n-1"), same elements',
      items: 100_000,
      fill: async (env, n) => {
        const a = new RedisArray(env.db, 'mem:array');
        for (let i = 0; i < n; i += 1000) await a.push(...Array.from({ length: Math.min(1000, n - i) }, (_, j) => `value-${i + j}`));
      },
    },
  ],
  async tables(env) {
    return [await bloomFalsePositives(env)];
  },
});
