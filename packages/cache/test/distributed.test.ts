import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnsupportedError } from '@walrus/core';
import { Lock } from '@walrus/lock';
import { describeTopologies, type TopologyContext } from '@walrus/testing';
import { Cache } from '@walrus/cache';

const packageDir = join(__dirname, '..');
const worker = join(__dirname, 'fixtures', 'distributed-worker.ts');
const hideLock = join(__dirname, 'fixtures', 'hide-lock.mjs');

type Reply = { value?: string; error?: string; capability?: string };

/**
 * Starts `n` worker processes, waits until every one is connected, releases them at once with "go" and returns
 * what each printed.
 */
async function runWorkers(t: TopologyContext, n: number, key: string, o: { computeMs?: number; nodeArgs?: string[] } = {}): Promise<Reply[]> {
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--import', 'tsx', ...(o.nodeArgs ?? []), worker, JSON.stringify(t.connectOptions), t.prefix, key, String(o.computeMs ?? 300)], {
      cwd: packageDir,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(packageDir, 'tsconfig.json') },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const kill = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), 25_000);
  try {
    const outputs = children.map((c) => {
      let out = '';
      let err = '';
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const ready = new Promise<void>((resolve, reject) => {
        c.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready\n')) resolve();
        });
        c.on('exit', () => reject(new Error(`worker exited before it was ready: ${err}`)));
      });
      const done = new Promise<Reply>((resolve, reject) =>
        c.on('exit', (code) => {
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (code === 0 && line) resolve(JSON.parse(line) as Reply);
          else reject(new Error(`worker failed (exit ${code}): ${err || out}`));
        }),
      );
      return { ready, done };
    });
    await Promise.all(outputs.map((o) => o.ready));
    for (const c of children) c.stdin.end('go\n');
    return await Promise.all(outputs.map((o) => o.done));
  } finally {
    clearTimeout(kill);
  }
}

describeTopologies('Cache distributed single-flight', (t) => {
  it('runs the function once across 4 processes', async () => {
    const replies = await runWorkers(t, 4, 'report');
    expect(replies.filter((r) => r.error)).toEqual([]);
    expect(Number(await t.db.command(['GET', t.db.key('runs:report')]))).toBe(1);
    expect(new Set(replies.map((r) => r.value)).size).toBe(1);
    expect(replies[0].value).toMatch(/^computed by \d+$/);
    expect(await new Cache(t.db, { name: 'dist' }).get('report')).toBe(replies[0].value);
  }, 40_000);

  it('raises UnsupportedError when @walrus/lock is not installed', async () => {
    const [reply] = await runWorkers(t, 1, 'nolock', { nodeArgs: ['--import', hideLock] });
    expect(reply).toMatchObject({ error: UnsupportedError.name, capability: '@walrus/lock' });
    expect(await t.db.command(['GET', t.db.key('runs:nolock')])).toBeNull();
  }, 30_000);

  it('runs once across handles (each with its own connection) in one process', async () => {
    const handles = await Promise.all(Array.from({ length: 4 }, () => t.connect()));
    let runs = 0;
    const compute = async () => {
      runs++;
      await sleep(150);
      return runs;
    };
    const calls = handles.flatMap((db) => Array.from({ length: 10 }, () => new Cache<number>(db, { name: 'multi' }).getOrSet('k', compute, { distributed: true })));
    const values = await Promise.all(calls);
    expect(runs).toBe(1);
    expect(new Set(values)).toEqual(new Set([1]));
    // Only the entry and the lock's short-lived wake-up list remain: no lock, no fencing counter left behind.
    const left: string[] = [];
    for await (const k of t.db.scanKeys('*multi*')) left.push(k);
    expect(left.filter((k) => !k.startsWith('lock.event:')).sort()).toEqual(['multi:k']);
    expect(Number(await t.db.command(['PTTL', t.db.key('lock.event:{multi:k}')]))).toBeLessThanOrEqual(10_000);
  });

  it('computes anyway once the wait for a silent lock holder runs out', async () => {
    const cache = new Cache<string>(t.db, { name: 'stuck' });
    const holder = new Lock(t.db, 'stuck:k', { ttl: '20s' });
    const lease = await holder.acquire({ block: false });
    expect(lease).not.toBeNull();
    try {
      const t0 = performance.now();
      const value = await cache.getOrSet('k', () => 'mine', { distributed: { lockTtl: '5s', wait: 300 } });
      const waited = performance.now() - t0;
      expect(value).toBe('mine');
      expect(waited).toBeGreaterThanOrEqual(280);
      expect(waited).toBeLessThan(2000);
    } finally {
      await lease?.release();
    }
  });

  it('takes over from a holder that gave up without writing', async () => {
    const cache = new Cache<string>(t.db, { name: 'handover' });
    const holder = new Lock(t.db, 'handover:k', { ttl: '20s' });
    const lease = await holder.acquire({ block: false });
    setTimeout(() => void lease?.release(), 100);
    const t0 = performance.now();
    expect(await cache.getOrSet('k', () => 'second', { distributed: { wait: '10s' } })).toBe('second');
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('refreshes a stale value in one process only', async () => {
    const handles = await Promise.all(Array.from({ length: 3 }, () => t.connect()));
    const caches = handles.map((db) => new Cache<number>(db, { name: 'dswr', staleWhileRevalidate: '10s' }));
    await caches[0].set('k', 0, { ttl: 30 });
    let runs = 0;
    const refresh = async () => {
      runs++;
      await sleep(100);
      return runs;
    };
    await sleep(60);
    const o = { ttl: '1m', distributed: true } as const;
    expect(await Promise.all(caches.map((c) => c.getOrSet('k', refresh, o)))).toEqual([0, 0, 0]);
    for (let i = 0; i < 50 && runs === 0; i++) await sleep(10);
    await sleep(200);
    expect(runs).toBe(1);
    expect(await caches[1].get('k')).toBe(1);
  });
});
