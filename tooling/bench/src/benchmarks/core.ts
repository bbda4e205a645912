import { createClient } from 'redis';
import { Script, connect } from '@walrus/core';
import { concurrent, defineBenchmark, type Table } from '../harness';

const source = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
const script = new Script('incrby', source);

async function burst(label: string, n: number, send: (i: number) => Promise<unknown>): Promise<(string | number)[]> {
  const t0 = performance.now();
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => send(i)));
  const ms = performance.now() - t0;
  const failures = results.filter((r) => r.status === 'rejected');
  const reason = failures[0]?.status === 'rejected' ? String((failures[0].reason as Error)?.name ?? failures[0].reason) : '';
  return [label, n, Math.round(ms), Math.round(n / (ms / 1000)), failures.length, reason];
}

export default defineBenchmark({
  name: 'core',
  description: '@walrus/core script runner and connection defaults',
  comparisons: [
    {
      title: 'Script.run (EVALSHA) vs raw node-redis evalSha',
      ops: 50_000,
      latency: true,
      prepare: async (env) => void (await env.raw.scriptLoad(source)),
      cases: [
        concurrent('node-redis evalSha', async (env) => (i) => env.raw.evalSha(script.sha, { keys: [`k${i % 100}`], arguments: ['1'] })),
        concurrent('@walrus Script.run', async (env) => (i) => script.run(env.db, [`k${i % 100}`], [1])),
      ],
    },
    {
      title: 'One command: db.command vs raw sendCommand',
      ops: 100_000,
      cases: [
        concurrent('node-redis sendCommand', async (env) => (i) => env.raw.sendCommand(['SET', `k${i % 1000}`, 'v'])),
        concurrent('@walrus db.command', async (env) => (i) => env.db.command(['SET', `k${i % 1000}`, 'v'])),
      ],
    },
  ],
  async tables(env) {
    const n = 100_000;
    const rows: (string | number)[][] = [];
    const raw = createClient({ url: env.url });
    await raw.connect();
    rows.push(await burst('createClient() defaults (5 s command timeout)', n, (i) => raw.set(`a${i}`, 'v')));
    await raw.close();
    const db = await connect(env.url);
    rows.push(await burst('@walrus connect() defaults (no command timeout)', n, (i) => db.command(['SET', `b${i}`, 'v'])));
    await db.close();
    const table: Table = {
      title: `${n.toLocaleString('en-US')} concurrent SETs issued at once`,
      columns: ['client', 'commands', 'ms', 'commands/s', 'failed', 'first failure'],
      rows,
    };
    return [table];
  },
});
