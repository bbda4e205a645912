import { Graph, type Triple } from '@walrus/graph';
import { concurrent, defineBenchmark, type BenchEnv } from '../harness';

// A synthetic social graph: people who know five others, live in one of 50 cities and like a few of 1,000 items.
const scaleAt = process.argv.indexOf('--scale');
const SCALE = scaleAt === -1 ? 1 : Number(process.argv[scaleAt + 1]);
const PEOPLE = Math.max(100, Math.round(10_000 * SCALE));
const CITIES = 50;

function socialGraph(): Triple[] {
  let seed = 1;
  const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const out: Triple[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const s = `person:${i}`;
    for (let k = 0; k < 5; k++) out.push({ s, p: 'knows', o: `person:${rand(PEOPLE)}` });
    out.push({ s, p: 'lives', o: `city:${rand(CITIES)}` });
    for (let k = 0; k < 4; k++) out.push({ s, p: 'likes', o: `item:${rand(1000)}` });
  }
  return out; // 10 triples per person: 100,000 at scale 1
}

const TRIPLES = socialGraph();
const members = (t: Triple) => [`spo::${t.s}::${t.p}::${t.o}`, `pos::${t.p}::${t.o}::${t.s}`, `osp::${t.o}::${t.s}::${t.p}`];
const tripleAt = (i: number): Triple => ({ s: `n:${i}`, p: 'edge', o: `n:${(i * 7919) % 100_003}` });

async function load(env: BenchEnv): Promise<void> {
  const g = new Graph(env.db, 'social');
  for (let i = 0; i < TRIPLES.length; i += 10_000) await g.storeMany(TRIPLES.slice(i, i + 10_000));
}

const lexEnd = (prefix: string) => Buffer.concat([Buffer.from(`(${prefix}`), Buffer.from([0xff])]);

export default defineBenchmark({
  name: 'graph',
  description: `@walrus/graph: storing triples, and queries and searches on a graph of ${TRIPLES.length.toLocaleString('en-US')} triples`,
  comparisons: [
    {
      title: 'Store one triple per call (three members, one ZADD)',
      ops: 50_000,
      cases: [
        concurrent('node-redis ZADD', async (env) => (i) => env.raw.sendCommand(['ZADD', 'social', ...members(tripleAt(i)).flatMap((m) => ['0', m])])),
        concurrent('@walrus store', async (env) => {
          const g = new Graph(env.db, 'social');
          return (i) => {
            const t = tripleAt(i);
            return g.store(t.s, t.p, t.o);
          };
        }),
      ],
    },
    {
      title: 'Store triples in batches of 1,000 (ops = triples)',
      ops: 100_000,
      cases: [
        batched('node-redis ZADD per 1,000', async (env) => (ts) => env.raw.sendCommand(['ZADD', 'social', ...ts.flatMap((t) => members(t).flatMap((m) => ['0', m]))])),
        batched('@walrus storeMany', async (env) => {
          const g = new Graph(env.db, 'social');
          return (ts) => g.storeMany(ts);
        }),
      ],
    },
    {
      title: `query({ s, p }) on the graph: the five people someone knows`,
      ops: 20_000,
      latency: true,
      prepare: load,
      cases: [
        concurrent('node-redis ZRANGE BYLEX', async (env) => (i) => {
          const prefix = `spo::person:${i % PEOPLE}::knows::`;
          return env.raw.sendCommand(['ZRANGE', 'social', `[${prefix}`, lexEnd(prefix), 'BYLEX', 'LIMIT', '0', '1000']);
        }),
        concurrent('@walrus query', async (env) => {
          const g = new Graph(env.db, 'social');
          return async (i) => {
            for await (const t of g.query({ s: `person:${i % PEOPLE}`, p: 'knows' })) void t;
          };
        }),
      ],
    },
    {
      title: 'search: which people someone knows live in a given city (two clauses)',
      ops: 10_000,
      latency: true,
      prepare: load,
      cases: [
        concurrent('node-redis ZRANGE + pipelined ZSCOREs', async (env) => async (i) => {
          const prefix = `spo::person:${i % PEOPLE}::knows::`;
          const friends = (await env.raw.sendCommand(['ZRANGE', 'social', `[${prefix}`, lexEnd(prefix), 'BYLEX'])) as string[];
          const city = `city:${i % CITIES}`;
          const scores = await Promise.all(friends.map((m) => env.raw.sendCommand(['ZSCORE', 'social', `spo::${m.split('::')[3]}::lives::${city}`])));
          return friends.filter((_, k) => scores[k] !== null);
        }),
        concurrent('@walrus search', async (env) => {
          const g = new Graph(env.db, 'social');
          const X = g.v('X');
          return (i) => g.search({ s: `person:${i % PEOPLE}`, p: 'knows', o: X }, { s: X, p: 'lives', o: `city:${i % CITIES}` });
        }),
      ],
    },
  ],
  memory: [
    {
      title: 'one triple (three sorted-set members)',
      items: 100_000,
      async fill(env, n) {
        const g = new Graph(env.db, 'social');
        for (let i = 0; i < n; i += 10_000) await g.storeMany(Array.from({ length: Math.min(10_000, n - i) }, (_, k) => tripleAt(i + k)));
      },
    },
  ],
});

/** A case whose `run(n)` stores `n` triples in batches of 1,000, ten batches in flight. */
function batched(name: string, open: (env: BenchEnv) => Promise<(ts: Triple[]) => Promise<unknown>>) {
  return {
    name,
    async open(env: BenchEnv) {
      const store = await open(env);
      let next = 0;
      return {
        async run(n: number) {
          const end = next + n;
          const worker = async () => {
            while (next < end) {
              const from = next;
              next = Math.min(end, next + 1000);
              await store(Array.from({ length: next - from }, (_, k) => tripleAt(from + k)));
            }
          };
          await Promise.all(Array.from({ length: 10 }, worker));
        },
      };
    },
  };
}
