import { connect, type Walrus } from '@walrus/core';
import { defineModel, integer, text } from '@walrus/models';
import { concurrent, defineBenchmark, type BenchEnv, type RawClient, type Table } from '../harness';
import { RoundTripCounter } from '../../../testing/src/round-trips';

// Records in the query benchmarks: 100k at scale 1 (`--scale 0.2` gives 20k).
const scaleAt = process.argv.indexOf('--scale');
const scale = scaleAt === -1 ? 1 : Number(process.argv[scaleAt + 1]);
const RECORDS = Math.max(1000, Math.round(100_000 * scale));
const TEAMS = 100;
const AGES = 90;

const userModel = (db: Walrus) => defineModel(db, 'user', { name: text({ primaryKey: true }), team: text({ index: true }), age: integer({ index: true }) });

/** The commands a hand-written save of one user sends (what the model's script does, minus the checks). */
function rawCreate(raw: RawClient, i: number) {
  const id = `{user}:id.u${i}`;
  const team = `t${i % TEAMS}`;
  const age = String(i % AGES);
  return raw
    .multi()
    .hSet(id, { name: `u${i}`, team, age })
    .sAdd('{user}:all', id)
    .sAdd(`{user}:name.absolute.u${i}`, id)
    .sAdd(`{user}:team.absolute.${team}`, id)
    .sAdd(`{user}:age.absolute.${age}`, id)
    .zAdd('{user}:age.continuous', { score: i % AGES, value: id });
}

/** Fills `n` users in the model's exact layout with pipelined raw commands (fast, untimed). */
async function fill(raw: RawClient, n: number): Promise<void> {
  for (let start = 0; start < n; start += 5000) {
    const batch = raw.multi();
    for (let i = start; i < Math.min(n, start + 5000); i++) {
      const id = `{user}:id.u${i}`;
      const team = `t${i % TEAMS}`;
      const age = String(i % AGES);
      batch
        .hSet(id, { name: `u${i}`, team, age })
        .sAdd('{user}:all', id)
        .sAdd(`{user}:name.absolute.u${i}`, id)
        .sAdd(`{user}:team.absolute.${team}`, id)
        .sAdd(`{user}:age.absolute.${age}`, id)
        .zAdd('{user}:age.continuous', { score: i % AGES, value: id });
    }
    await batch.execAsPipeline();
  }
}

const prepareRecords = async (env: BenchEnv) => fill(env.raw, RECORDS);

async function rawPage(raw: RawClient, ids: string[]): Promise<Record<string, string>[]> {
  return Promise.all(ids.map((id) => raw.hGetAll(id)));
}

export default defineBenchmark({
  name: 'models',
  description: '@walrus/models: atomic indexed saves and indexed queries',
  comparisons: [
    {
      title: 'Create a record with 3 indexed fields (absolute ×3, continuous ×1)',
      ops: 20_000,
      cases: [
        concurrent('node-redis MULTI (same writes, no checks)', async (env) => (i) => rawCreate(env.raw, i).exec()),
        concurrent('@walrus Model.create (one script)', async (env) => {
          const User = userModel(env.db);
          return (i) => User.create({ name: `u${i}`, team: `t${i % TEAMS}`, age: i % AGES });
        }),
      ],
    },
    {
      title: 'Save a loaded record after changing two indexed fields',
      ops: 20_000,
      prepare: async (env) => fill(env.raw, 1000),
      cases: [
        concurrent('node-redis MULTI (same writes, no checks)', async (env) => (i) => {
          const id = `{user}:id.u${i % 1000}`;
          const [oldTeam, newTeam] = [`t${i % TEAMS}`, `t${(i + 1) % TEAMS}`];
          return env.raw
            .multi()
            .hSet(id, { team: newTeam, age: String((i + 1) % AGES) })
            .sRem(`{user}:team.absolute.${oldTeam}`, id)
            .sAdd(`{user}:team.absolute.${newTeam}`, id)
            .sRem(`{user}:age.absolute.${i % AGES}`, id)
            .sAdd(`{user}:age.absolute.${(i + 1) % AGES}`, id)
            .zAdd('{user}:age.continuous', { score: (i + 1) % AGES, value: id })
            .exec();
        }),
        concurrent('@walrus instance.save (one script)', async (env) => {
          const User = userModel(env.db);
          const users = await Promise.all(Array.from({ length: 1000 }, (_, i) => User.load(`u${i}`)));
          let n = 0;
          return (i) => {
            const u = users[i % 1000];
            u.team = `t${n++ % TEAMS}`;
            u.age = n % AGES;
            return u.save();
          };
        }),
      ],
    },
    {
      title: `Indexed equality query, 10 records of ${RECORDS.toLocaleString('en-US')} (team = t37, ~${Math.round(RECORDS / TEAMS)} matches)`,
      ops: 5_000,
      latency: true,
      prepare: prepareRecords,
      cases: [
        concurrent('node-redis SORT … LIMIT + HGETALL×10', async (env) => async () => {
          const ids = (await env.raw.sendCommand(['SORT', '{user}:team.absolute.t37', 'BY', 'nosort', 'LIMIT', '0', '10'])) as string[];
          return rawPage(env.raw, ids);
        }),
        concurrent('@walrus query({ where: eq, limit: 10 })', async (env) => {
          const User = userModel(env.db);
          return () => User.query({ where: User.fields.team.eq('t37'), limit: 10 });
        }),
      ],
    },
    {
      title: `Indexed range query, 10 records of ${RECORDS.toLocaleString('en-US')} (30 ≤ age ≤ 31, ~${Math.round((RECORDS * 2) / AGES)} matches)`,
      ops: 2_000,
      latency: true,
      prepare: prepareRecords,
      cases: [
        concurrent('node-redis ZRANGEBYSCORE … LIMIT + HGETALL×10', async (env) => async () => {
          const ids = await env.raw.sendCommand(['ZRANGEBYSCORE', '{user}:age.continuous', '30', '31', 'LIMIT', '0', '10']);
          return rawPage(env.raw, ids as unknown as string[]);
        }),
        concurrent('@walrus query({ where: between, limit: 10 })', async (env) => {
          const User = userModel(env.db);
          return () => User.query({ where: User.fields.age.between(30, 31), limit: 10 });
        }),
        concurrent('@walrus query({ where: between, orderBy: name, limit: 10 })', async (env) => {
          const User = userModel(env.db);
          return () => User.query({ where: User.fields.age.between(30, 31), orderBy: User.fields.name.asc(), limit: 10 });
        }),
      ],
    },
  ],
  memory: [
    {
      title: 'plain hash per user (HSET only, no indexes)',
      items: 20_000,
      async fill(env, n) {
        for (let start = 0; start < n; start += 5000) {
          const batch = env.raw.multi();
          for (let i = start; i < Math.min(n, start + 5000); i++) batch.hSet(`{user}:id.u${i}`, { name: `u${i}`, team: `t${i % TEAMS}`, age: String(i % AGES) });
          await batch.execAsPipeline();
        }
      },
    },
    {
      title: '@walrus model record (hash + all + 3 absolute + 1 continuous)',
      items: 20_000,
      async fill(env, n) {
        const User = userModel(env.db);
        for (let start = 0; start < n; start += 500) {
          await Promise.all(Array.from({ length: Math.min(500, n - start) }, (_, j) => User.create({ name: `u${start + j}`, team: `t${(start + j) % TEAMS}`, age: (start + j) % AGES })));
        }
      },
    },
  ],
  async tables(env) {
    // Round trips and sequential latency of each operation, through a counting proxy in front of the server.
    const proxy = new RoundTripCounter({ host: '127.0.0.1', port: Number(new URL(env.url).port) });
    const db = await connect(await proxy.listen());
    const User = userModel(db);
    const Seq = defineModel(db, 'seq', { title: text(), views: integer({ index: true }) });
    await fill(env.raw, 1000);
    const rows: (string | number)[][] = [];
    const measure = async (label: string, fn: (i: number) => Promise<unknown>, n = 200) => {
      await fn(-1);
      proxy.roundTrips = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await fn(i);
      rows.push([label, proxy.roundTrips / n, Math.round(((performance.now() - t0) * 1000) / n)]);
    };
    const u = await User.load('u1');
    const stale = await User.load('u2');
    await measure('create (text key, new record)', (i) => User.create({ name: `n${i}`, team: 't1', age: 1 }));
    await measure('create (autoIncrement key)', () => Seq.create({ title: 'x', views: 0 }));
    await measure('create (existing key: replace)', () => User.create({ name: 'u3', team: 't2', age: 2 }));
    await measure('load', (i) => User.load(`u${Math.abs(i) % 1000}`));
    await measure('save (loaded record)', (i) => {
      u.age = Math.abs(i) % AGES;
      return u.save();
    });
    await measure('save (stale read: re-planned)', async (i) => {
      // Another client changed an indexed field since `stale` was read (raw write, not counted).
      await env.raw.hSet('{user}:id.u2', 'team', `t${Math.abs(i) % TEAMS}`);
      stale.team = 'x';
      return stale.save();
    });
    await measure('incr (indexed integer)', () => u.incr('age'));
    await measure('get(eq)', () => User.get(User.fields.name.eq('u5')));
    await measure('query(eq, limit 10)', () => User.query({ where: User.fields.team.eq('t3'), limit: 10 }));
    await measure('query(between, orderBy, limit 10)', () => User.query({ where: User.fields.age.between(3, 4), orderBy: User.fields.name.asc(), limit: 10 }));
    await measure('count(eq)', () => User.count(User.fields.team.eq('t3')));
    const doomed = await Promise.all(Array.from({ length: 201 }, (_, i) => User.create({ name: `d${i}`, team: 't9', age: 9 })));
    await measure('delete (loaded record)', (i) => doomed[i + 1].delete());
    await db.close();
    await proxy.close();
    const table: Table = { title: 'Round trips and sequential latency per operation (single server, one caller)', columns: ['operation', 'round trips', 'µs/op incl. round trips'], rows };
    return [table];
  },
});
