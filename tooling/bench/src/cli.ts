// pnpm bench <name...|all> [--scale 0.1]
// Runs benchmarks against a throwaway redis-server and prints, in one run: ops/s beside the baseline (ratio),
// Redis commands per operation (INFO commandstats deltas), round trips per operation (counted by a proxy),
// optional p50/p99 latency, and Redis memory per stored item. Writes results/<name>.json and .md.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { connect } from '@walrus/core';
import { startServer } from '../../testing/src/redis-server';
import type { Benchmark, BenchEnv, Comparison, RawClient, Table } from './harness';
import { RoundTripCounter } from '../../testing/src/round-trips';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const scaleAt = argv.indexOf('--scale');
const scale = scaleAt === -1 ? 1 : Number(argv.splice(scaleAt, 2)[1]);
const available = readdirSync(join(here, 'benchmarks'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const names = argv.length === 0 || argv.includes('all') ? available : argv;
for (const n of names)
  if (!available.includes(n)) {
    console.error(`unknown benchmark "${n}"; available: ${available.join(', ')}`);
    process.exit(2);
  }

async function makeEnv(url: string): Promise<BenchEnv & { close(): Promise<void> }> {
  const db = await connect(url);
  // The baseline runs without node-redis 6's per-command 5 s timer, as connect() does, so ratios measure the
  // library and not that timer (the core benchmark compares the two defaults separately).
  const raw: RawClient = createClient({ url, commandOptions: { timeout: 0 } });
  await raw.connect();
  return { url, db, raw, close: async () => void (await Promise.all([db.close(), raw.close()])) };
}

function commandCalls(info: string): number {
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info' && m[1] !== 'config') calls += Number(m[2]);
  return calls;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '-');

interface Row {
  case: string;
  opsPerSec: number;
  ratio: number;
  commandsPerOp: number;
  roundTripsPerOp: number;
  p50us?: number;
  p99us?: number;
}

async function runComparison(c: Comparison, direct: BenchEnv, proxied: BenchEnv, proxy: RoundTripCounter): Promise<Row[]> {
  const ops = Math.max(1, Math.round(c.ops * scale));
  const rows: Row[] = [];
  for (const kase of c.cases) {
    await direct.raw.flushAll();
    await c.prepare?.(direct);
    const runner = await kase.open(direct);
    await runner.run(Math.max(1, Math.min(1000, Math.round(ops / 10))));
    await direct.raw.configResetStat();
    const t0 = performance.now();
    await runner.run(ops);
    const seconds = (performance.now() - t0) / 1000;
    const calls = commandCalls(await direct.raw.info('commandstats'));
    let p50: number | undefined;
    let p99: number | undefined;
    if (c.latency) {
      const samples: number[] = [];
      for (let i = 0; i < Math.min(ops, 2000); i++) {
        const s = performance.now();
        await runner.run(1);
        samples.push((performance.now() - s) * 1000);
      }
      samples.sort((a, b) => a - b);
      p50 = samples[Math.floor(samples.length * 0.5)];
      p99 = samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))];
    }
    await runner.close?.();
    await direct.raw.flushAll();
    await c.prepare?.(direct);
    const counted = await kase.open(proxied);
    await counted.run(1);
    proxy.roundTrips = 0;
    const k = 20;
    for (let i = 0; i < k; i++) await counted.run(1);
    const roundTrips = proxy.roundTrips / k;
    await counted.close?.();
    rows.push({ case: kase.name, opsPerSec: ops / seconds, ratio: 0, commandsPerOp: calls / ops, roundTripsPerOp: roundTrips, p50us: p50, p99us: p99 });
  }
  for (const r of rows) r.ratio = r.opsPerSec / rows[0].opsPerSec;
  return rows;
}

function markdown(title: string, columns: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => (typeof c === 'number' ? fmt(c) : c)).join(' | ')} |`;
  return [`### ${title}`, '', line(columns), line(columns.map(() => '---')), ...rows.map(line), ''].join('\n');
}

const server = await startServer();
const proxy = new RoundTripCounter({ host: '127.0.0.1', port: server.port });
const direct = await makeEnv(server.url);
const proxied = await makeEnv(await proxy.listen());
const outDir = join(here, '..', 'results');
mkdirSync(outDir, { recursive: true });
const version = String(await direct.raw.info('server')).match(/redis_version:(\S+)/)?.[1];
let failed = false;
try {
  for (const name of names) {
    const bench = ((await import(`./benchmarks/${name}.ts`)) as { default: Benchmark }).default;
    const sections: string[] = [`## ${bench.name}: ${bench.description}`, '', `redis-server ${version}, node ${process.version}, scale ${scale}`, ''];
    const json: Record<string, unknown> = { name: bench.name, description: bench.description, redis: version, node: process.version, scale, comparisons: [], memory: [], tables: [] };
    console.log(`\n## ${bench.name}: ${bench.description}\n`);
    for (const c of bench.comparisons ?? []) {
      const rows = await runComparison(c, direct, proxied, proxy);
      const withLatency = rows.some((r) => r.p50us !== undefined);
      const columns = ['case', 'ops/s', `× ${rows[0].case}`, 'commands/op', 'round trips/op', ...(withLatency ? ['p50 µs', 'p99 µs'] : [])];
      const md = markdown(`${c.title} (${fmt(Math.round(c.ops * scale), 0)} ops)`, columns, rows.map((r) => [r.case, Math.round(r.opsPerSec), r.ratio, r.commandsPerOp, r.roundTripsPerOp, ...(withLatency ? [r.p50us ?? '-', r.p99us ?? '-'] : [])]));
      console.log(md);
      sections.push(md);
      (json.comparisons as unknown[]).push({ title: c.title, ops: Math.round(c.ops * scale), rows });
    }
    if (bench.memory?.length) {
      const rows: (string | number)[][] = [];
      for (const m of bench.memory) {
        const items = Math.max(1, Math.round(m.items * scale));
        await direct.raw.flushAll();
        const before = Number(/used_memory:(\d+)/.exec(await direct.raw.info('memory'))![1]);
        await m.fill(direct, items);
        const after = Number(/used_memory:(\d+)/.exec(await direct.raw.info('memory'))![1]);
        rows.push([m.title, items, (after - before) / items]);
        (json.memory as unknown[]).push({ title: m.title, items, bytesPerItem: (after - before) / items });
      }
      const md = markdown('Redis memory per item (used_memory delta)', ['what', 'items', 'bytes/item'], rows);
      console.log(md);
      sections.push(md);
    }
    if (bench.tables) {
      await direct.raw.flushAll();
      for (const t of (await bench.tables(direct)) as Table[]) {
        const md = markdown(t.title, t.columns, t.rows);
        console.log(md);
        sections.push(md);
        (json.tables as unknown[]).push(t);
      }
    }
    writeFileSync(join(outDir, `${bench.name}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(outDir, `${bench.name}.md`), `${sections.join('\n')}\n`);
  }
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await Promise.all([direct.close(), proxied.close()]);
  await proxy.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
