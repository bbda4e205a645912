import { createClient } from 'redis';
import { connect } from '@walrus/core';
import { DayEvents, bitOpAnd, cohort, markEvent, type CohortOptions } from '@walrus/bitmapist';
import { concurrent, defineBenchmark, type BenchEnv, type Table } from '../harness';
// The RESP-aware round-trip counter of the package's tests (it understands pipelines and MULTI blocks).
import { RoundTripCounter } from '../../../testing/src/round-trips';

const now = new Date('2024-01-10T12:00:00Z');
// The keys markEvent writes for `now` (tag mode), for the raw baselines.
const keys = ['{trackist}_active_2024-1', '{trackist}_active_W2024-2', '{trackist}_active_2024-1-10'];
const ID_SPACE = 1_000_000;
const idOf = (i: number) => (i * 7919) % ID_SPACE; // spread over the id space, every id once per 1M

/** Fills `days` days of sign-ups and activity for the cohort table: new ids each day, ~30% active per day. */
async function fillCohortData(env: BenchEnv, days: number, perDay: number): Promise<void> {
  const start = Date.UTC(2024, 0, 1, 12);
  for (let d = 0; d < days + 12; d++) {
    const when = new Date(start + d * 86_400_000);
    const batch: Promise<unknown>[] = [];
    if (d < days) for (let i = 0; i < perDay; i++) batch.push(markEvent(env.db, 'signup', d * perDay + i, { now: when }));
    const seen = Math.min(d + 1, days) * perDay;
    for (let i = 0; i < seen; i += 3) batch.push(markEvent(env.db, 'active', (i + d) % seen, { now: when }));
    for (let i = 0; i < seen; i += 2) batch.push(markEvent(env.db, 'mobile', i, { now: when }));
    await Promise.all(batch);
  }
}

async function commandStats(raw: BenchEnv['raw']): Promise<{ calls: number; multis: number }> {
  const info = await raw.info('commandstats');
  let calls = 0;
  let multis = 0;
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (m[1] === 'info' || m[1] === 'config') continue;
    calls += Number(m[2]);
    if (m[1] === 'multi') multis += Number(m[2]);
  }
  return { calls, multis };
}

/** Compute time (median of `runs`), round trips (through the counting proxy), commands and MULTIs of one table. */
async function cohortRow(env: BenchEnv, label: string, o: CohortOptions, runs: number): Promise<(string | number)[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await cohort(env.db, o);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  await env.raw.configResetStat();
  const rows = await cohort(env.db, o);
  const stats = await commandStats(env.raw);

  // Round trips: a proxy counts each time the client sends after having every reply (the harness proxy counts TCP
  // turnarounds, which a large pipelined write split by flow control inflates).
  const target = new URL(env.url);
  const counter = new RoundTripCounter({ host: target.hostname, port: Number(target.port) });
  const db = await connect(await counter.listen());
  await db.command(['PING']);
  const roundTrips = await counter.count(() => cohort(db, o));
  await db.close();
  await counter.close();
  const cells = rows.length * rows[0].cells.length;
  return [label, `${rows.length} × ${rows[0].cells.length}`, cells, times[Math.floor(times.length / 2)], roundTrips, stats.multis, stats.calls];
}

export default defineBenchmark({
  name: 'bitmapist',
  description: '@walrus/bitmapist: marking events, bit operations, cohort tables, bitmap memory',
  comparisons: [
    {
      title: 'Mark events (month + ISO week + day bitmaps), batched',
      ops: 200_000,
      cases: [
        {
          name: 'node-redis execAsPipeline: 3 × SETBIT per event, 1,000 events a batch (not atomic)',
          async open(env) {
            let next = 0;
            return {
              async run(n) {
                for (let done = 0; done < n; ) {
                  const m = env.raw.multi();
                  const size = Math.min(1000, n - done);
                  for (let j = 0; j < size; j++) {
                    const id = String(idOf(next++));
                    for (const k of keys) m.addCommand(['SETBIT', k, id, '1']);
                  }
                  await m.execAsPipeline();
                  done += size;
                }
              },
            };
          },
        },
        concurrent('@walrus markEvent, 1,000 in flight (one Lua script each, atomic)', async (env) => (i) => markEvent(env.db, 'active', idOf(i), { now }), { concurrency: 1000 }),
        concurrent('@walrus markEvent, 100 in flight', async (env) => (i) => markEvent(env.db, 'active', idOf(i), { now })),
        concurrent('@walrus markEvent, 1,000 in flight, default now (Redis clock)', async (env) => (i) => markEvent(env.db, 'active', idOf(i)), { concurrency: 1000 }),
        concurrent('node-redis MULTI of 3 × SETBIT, 100 in flight (atomic)', async (env) => (i) => {
          const id = String(idOf(i));
          const m = env.raw.multi();
          for (const k of keys) m.addCommand(['SETBIT', k, id, '1']);
          return m.exec();
        }),
      ],
    },
    {
      title: 'Count the AND of two day bitmaps (100k ids each, 1M id space)',
      ops: 20_000,
      prepare: async (env) => {
        const a = DayEvents.fromDate(env.db, 'a', now);
        const b = DayEvents.fromDate(env.db, 'b', now);
        const m = env.raw.multi();
        for (let i = 0; i < 100_000; i++) {
          m.addCommand(['SETBIT', a.key, String(idOf(i)), '1']);
          m.addCommand(['SETBIT', b.key, String(idOf(i + 50_000)), '1']);
        }
        await m.execAsPipeline();
      },
      cases: [
        concurrent('node-redis MULTI BITOP AND + BITCOUNT', async (env) => {
          const [a, b] = [DayEvents.fromDate(env.db, 'a', now).key, DayEvents.fromDate(env.db, 'b', now).key];
          return () => env.raw.multi().addCommand(['BITOP', 'AND', '{trackist}_raw_and', a, b]).addCommand(['BITCOUNT', '{trackist}_raw_and']).exec();
        }),
        concurrent('@walrus new BitOp each time: BITOP + PEXPIRE + BITCOUNT in one MULTI', async (env) => () =>
          bitOpAnd(DayEvents.fromDate(env.db, 'a', now), DayEvents.fromDate(env.db, 'b', now)).count(),
        ),
        concurrent('@walrus one BitOp read again (result reused within half its TTL)', async (env) => {
          const op = bitOpAnd(DayEvents.fromDate(env.db, 'a', now), DayEvents.fromDate(env.db, 'b', now));
          await op.materialize();
          return () => op.count();
        }),
      ],
    },
  ],
  memory: [
    {
      title: 'markEvent, dense ids 0…n-1 in one day (month + week + day bitmaps)',
      items: 1_000_000,
      async fill(env, n) {
        for (let i = 0; i < n; i += 10_000) await Promise.all(Array.from({ length: Math.min(10_000, n - i) }, (_, j) => markEvent(env.db, 'mem', i + j, { now })));
      },
    },
    {
      title: 'one day bitmap, n ids spread over 0…10n (10% density)',
      items: 1_000_000,
      async fill(env, n) {
        const key = DayEvents.fromDate(env.db, 'sparse', now).key;
        for (let i = 0; i < n; i += 50_000) {
          const m = env.raw.multi();
          for (let j = i; j < Math.min(n, i + 50_000); j++) m.addCommand(['SETBIT', key, String(j * 10 + (j % 10)), '1']);
          await m.execAsPipeline();
        }
      },
    },
  ],
  async tables(env) {
    const runs = 5;
    await fillCohortData(env, 42, 1000);
    const base: CohortOptions = { select1: 'signup', select2: 'active', numResults: 30, numRows: 11, startDate: '2024-01-01' };
    const cohortTable: Table = {
      title: 'Cohort table, 30 periods × 12 columns (1,000 new sign-ups a day; a third of all users active a day, half on mobile)',
      columns: ['variant', 'rows × cells', 'cells', `compute ms (median of ${runs})`, 'round trips', 'MULTIs', 'commands'],
      rows: [
        await cohortRow(env, 'signup → active, days', base, runs),
        await cohortRow(env, 'signup → active ∧ mobile, days', { ...base, select2b: 'mobile' }, runs),
        await cohortRow(env, 'signup ∧ mobile → active ∧ mobile, days', { ...base, select1b: 'mobile', select2b: 'mobile' }, runs),
        await cohortRow(env, 'signup → active, weeks (6 rows)', { ...base, timeGroup: 'weeks', numResults: 6 }, runs),
      ],
    };

    // Bitmap memory per 1M ids in one day's bitmap, by how the ids spread over the id space.
    const memory: Table = { title: 'Redis memory of one day bitmap holding 1M ids (MEMORY USAGE)', columns: ['ids spread over', 'bitmap bytes (STRLEN)', 'MEMORY USAGE bytes', 'bytes per id'], rows: [] };
    const raw = createClient({ url: env.url });
    await raw.connect();
    for (const spread of [1, 4, 32]) {
      const key = `{trackist}_mem${spread}_2024-1-10`;
      for (let i = 0; i < 1_000_000; i += 100_000) {
        const m = raw.multi();
        for (let j = i; j < i + 100_000; j++) m.addCommand(['SETBIT', key, String(j * spread), '1']);
        await m.execAsPipeline();
      }
      const usage = Number(await raw.sendCommand(['MEMORY', 'USAGE', key]));
      memory.rows.push([`0…${(spread * 1_000_000).toLocaleString('en-US')} (1 in ${spread})`, Number(await raw.strLen(key)), usage, usage / 1_000_000]);
      await raw.del(key);
    }
    await raw.close();
    return [cohortTable, memory];
  },
});
