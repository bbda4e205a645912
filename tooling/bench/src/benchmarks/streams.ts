import { createClient } from 'redis';
import { ConsumerGroup, Stream, type ConsumedMessage } from '@walrus/streams';
import { concurrent, defineBenchmark, type BenchEnv, type Case, type RawClient, type Runner } from '../harness';

const KEY = 'bench:events';
const GROUP = 'bench-workers';
const BATCH = 100;
const READ_COUNT = 10;
const CONSUMER_OPS = 50_000;
const entry = (i: number) => ({ user: `u${i % 1000}`, action: 'click', n: String(i) });

/** The scale the benchmark runs at (`--scale`), to fill the stream for the consumer runs with enough entries. */
function scale(): number {
  const at = process.argv.indexOf('--scale');
  return at === -1 ? 1 : Number(process.argv[at + 1]);
}

/** A node-redis client set up like the one @walrus `connect()` makes (no per-command timeout), so both run alike. */
async function rawClient(env: BenchEnv): Promise<RawClient> {
  const c: RawClient = createClient({ url: env.url, commandOptions: { timeout: 0 } });
  c.on('error', () => {});
  await c.connect();
  return c;
}

/** A case that writes `n` entries in batches of {@link BATCH}, 8 batches in flight. */
function batched(name: string, open: (env: BenchEnv) => Promise<{ write(from: number, size: number): Promise<unknown>; close?(): Promise<void> }>): Case {
  return {
    name,
    async open(env) {
      const w = await open(env);
      let next = 0;
      return {
        async run(n) {
          const end = next + n;
          const worker = async () => {
            while (next < end) {
              const from = next;
              const size = Math.min(BATCH, end - from);
              next += size;
              await w.write(from, size);
            }
          };
          await Promise.all(Array.from({ length: 8 }, worker));
        },
        close: w.close,
      };
    },
  };
}

/** Fills the stream read by the consumer cases and creates their group (untimed). */
async function fill(env: BenchEnv): Promise<void> {
  const total = Math.ceil(CONSUMER_OPS * scale()) + 2000;
  for (let from = 0; from < total; from += 1000) {
    const multi = env.raw.multi();
    for (let i = from; i < Math.min(total, from + 1000); i++) multi.xAdd(KEY, '*', entry(i));
    await multi.execAsPipeline();
  }
  await env.raw.sendCommand(['XGROUP', 'CREATE', KEY, GROUP, '0']);
}

type RawEntry = { id: string; message: Record<string, string> };

/**
 * The loop people write by hand with node-redis: XREADGROUP a batch, process each message, XACK it (one XACK per
 * message, or one per batch).
 */
function handWritten(name: string, ackPerBatch: boolean): Case {
  return {
    name,
    async open(env): Promise<Runner> {
      const redis = await rawClient(env);
      let batch: RawEntry[] = [];
      let done: string[] = [];
      return {
        async run(n) {
          for (let i = 0; i < n; i++) {
            if (batch.length === 0) {
              if (ackPerBatch && done.length) await redis.xAck(KEY, GROUP, done);
              done = [];
              const reply = await redis.xReadGroup(GROUP, 'hand', { key: KEY, id: '>' }, { COUNT: READ_COUNT, BLOCK: 1000 });
              batch = ((reply as unknown as { messages: RawEntry[] }[] | null)?.[0]?.messages ?? []).slice();
              if (batch.length === 0) throw new Error('the stream ran dry');
            }
            const m = batch.shift()!;
            if (ackPerBatch) done.push(m.id);
            else await redis.xAck(KEY, GROUP, m.id);
          }
        },
        close: async () => void (await redis.close()),
      };
    },
  };
}

/** The @walrus consumer loop: `for await (const m of group.consume())`, one message per `next()`, acks with the next read. */
function loop(name: string, count: number): Case {
  return {
    name,
    async open(env): Promise<Runner> {
      const group = new ConsumerGroup(env.db, GROUP, KEY, { consumer: `loop-${count}` });
      const it = group.consume({ count, block: '1s', claimIdle: null });
      return {
        async run(n) {
          for (let i = 0; i < n; i++) {
            const r: IteratorResult<ConsumedMessage> = await it.next();
            if (r.done) throw new Error('the loop ended');
          }
        },
        close: async () => void (await it.return?.()),
      };
    },
  };
}

export default defineBenchmark({
  name: 'streams',
  description: '@walrus/streams producers, the consumer loop, and Redis memory per entry',
  comparisons: [
    {
      title: 'Producer: one XADD per call, 100 calls in flight',
      ops: 100_000,
      cases: [
        concurrent('node-redis xAdd', async (env) => {
          const redis = await rawClient(env);
          return (i) => redis.xAdd(KEY, '*', entry(i));
        }),
        concurrent('@walrus Stream.add', async (env) => {
          const stream = new Stream(env.db, KEY);
          return (i) => stream.add(entry(i));
        }),
      ],
    },
    {
      title: `Producer: batches of ${BATCH} entries, 8 batches in flight (ops = entries)`,
      ops: 200_000,
      cases: [
        batched('node-redis multi().xAdd…exec() (MULTI)', async (env) => {
          const redis = await rawClient(env);
          return {
            write: (from, size) => {
              const multi = redis.multi();
              for (let i = from; i < from + size; i++) multi.xAdd(KEY, '*', entry(i));
              return multi.exec();
            },
            close: async () => void (await redis.close()),
          };
        }),
        batched('node-redis execAsPipeline() (no MULTI)', async (env) => {
          const redis = await rawClient(env);
          return {
            write: (from, size) => {
              const multi = redis.multi();
              for (let i = from; i < from + size; i++) multi.xAdd(KEY, '*', entry(i));
              return multi.execAsPipeline();
            },
            close: async () => void (await redis.close()),
          };
        }),
        batched('@walrus Stream.addMany (MULTI)', async (env) => {
          const stream = new Stream(env.db, KEY);
          return { write: (from, size) => stream.addMany(Array.from({ length: size }, (_, j) => entry(from + j))) };
        }),
      ],
    },
    {
      title: `Consumer: messages read and acknowledged one by one (batches of ${READ_COUNT})`,
      ops: CONSUMER_OPS,
      prepare: fill,
      cases: [
        handWritten('node-redis XREADGROUP + XACK per message', false),
        handWritten('node-redis XREADGROUP + XACK per batch', true),
        loop(`@walrus consume({ count: ${READ_COUNT} })`, READ_COUNT),
        loop('@walrus consume({ count: 100 })', 100),
      ],
    },
  ],
  memory: [
    {
      title: 'stream entry (3 fields, ~30 bytes of data)',
      items: 100_000,
      async fill(env, n) {
        const stream = new Stream(env.db, KEY);
        for (let from = 0; from < n; from += 1000) await stream.addMany(Array.from({ length: Math.min(1000, n - from) }, (_, j) => entry(from + j)));
      },
    },
    {
      title: 'stream entry + pending-list record (delivered, not acknowledged)',
      items: 100_000,
      async fill(env, n) {
        const stream = new Stream(env.db, KEY);
        for (let from = 0; from < n; from += 1000) await stream.addMany(Array.from({ length: Math.min(1000, n - from) }, (_, j) => entry(from + j)));
        const group = new ConsumerGroup(env.db, GROUP, KEY);
        await group.create();
        while ((await group.read({ count: 10_000 })).length) {
          /* deliver everything once */
        }
      },
    },
  ],
});
