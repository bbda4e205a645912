import { Lock, Semaphore } from '@walrus/lock';
import { describeTopologies } from '@walrus/testing';
import { WorkerPool } from './fixtures/pool';

// One pool of worker processes serves both topologies (each job names the servers to connect to): starting
// a Node process with tsx costs most of a second of CPU, so the processes are started once. The SIGKILL test
// comes last in each block and kills worker 20, then worker 19 (no longer needed by the last block).
const COUNTERS = 20;
let pool: WorkerPool;

beforeAll(async () => {
  pool = await WorkerPool.start(COUNTERS + 1);
}, 90_000);

afterAll(async () => {
  await pool?.close();
});

let nextVictim = COUNTERS;

describeTopologies('Lock and Semaphore across processes', (t) => {
  const options = () => ({ ...t.connectOptions, prefix: t.prefix });

  it('keeps 1,000 non-atomic increments from 20 processes exact, with fences strictly increasing', async () => {
    const counter = t.key('counter');
    const perWorker = 1000 / COUNTERS;
    const results = await Promise.all(
      Array.from({ length: COUNTERS }, (_, i) => pool.run<[number, number][]>(i, { kind: 'counter', connect: options(), name: 'count', counter: 'counter', times: perWorker })),
    );
    expect(Number(await t.rawCommand<string>(['GET', counter], counter))).toBe(1000);
    // Each critical section read the counter once: exclusive sections read 0, 1, …, 999, each exactly once.
    const sections = results.flat().sort((a, b) => a[0] - b[0]);
    expect(sections.map(([value]) => value)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // In holding order (= the value read), the fences drawn in 20 processes strictly increase.
    for (let i = 1; i < sections.length; i++) expect(sections[i][1]).toBeGreaterThan(sections[i - 1][1]);
    for (const own of results) for (let i = 1; i < own.length; i++) expect(own[i][1]).toBeGreaterThan(own[i - 1][1]);
  }, 60_000);

  it('loses increments without the lock (the counter test can fail)', async () => {
    const handles = await Promise.all(Array.from({ length: 5 }, () => t.connect()));
    const key = 'unlocked';
    await Promise.all(
      handles.map(async (db) => {
        for (let i = 0; i < 20; i++) {
          const value = Number((await db.command<string | null>(['GET', db.key(key)])) ?? 0);
          await new Promise((r) => setImmediate(r));
          await db.command(['SET', db.key(key), String(value + 1)]);
        }
      }),
    );
    expect(Number(await t.rawCommand<string>(['GET', t.key(key)], t.key(key)))).toBeLessThan(100);
  });

  it('never lets more than n processes hold a semaphore at once', async () => {
    const limit = 3;
    const g = 'g';
    const [active, peak] = [`{${g}}:active`, `{${g}}:peak`];
    const done = await Promise.all(
      Array.from({ length: COUNTERS }, (_, i) => pool.run<number>(i, { kind: 'semaphore', connect: options(), name: 'slots', limit, active, peak, loops: 2, times: 5 })),
    );
    expect(done.reduce((a, b) => a + b, 0)).toBe(COUNTERS * 10);
    expect(Number(await t.rawCommand<string>(['GET', t.key(peak)], t.key(peak)))).toBe(limit);
    expect(Number(await t.rawCommand<string>(['GET', t.key(active)], t.key(active)))).toBe(0);
    const sem = new Semaphore(t.db, 'slots', limit);
    expect(await sem.count()).toBe(0);
    expect(await t.rawCommand(['EXISTS', sem.keys[1]], sem.keys[1])).toBe(0);
  }, 60_000);

  it('frees the lock of a SIGKILLed holder at its TTL; a waiter gets it within 100 ms of expiry', async () => {
    const ttl = 800; // under one second: walrus' waiters blocked forever on such TTLs
    const i = nextVictim--;
    const heldFence = await pool.run<number>(i, { kind: 'hold', connect: options(), name: 'dies', ttl });
    const lock = new Lock(t.db, 'dies', { ttl: '5s' });
    expect(await lock.locked()).toBe(true);
    const waiting = lock.acquire({ timeout: '5s' }).then((lease) => ({ lease, at: performance.now() }));
    await pool.kill(i);
    // The lock expires PTTL after Redis answered, i.e. no earlier than `asked + pttl`.
    const asked = performance.now();
    const pttl = Number(await t.rawCommand<number>(['PTTL', lock.key], lock.key));
    expect(pttl).toBeGreaterThan(0);
    const earliestExpiry = asked + pttl;
    const { lease, at } = await waiting;
    expect(lease).not.toBeNull();
    expect(lease!.fence).toBeGreaterThan(heldFence);
    // Not before the TTL ran out (the dead holder never released), and within 100 ms of it.
    expect(at).toBeGreaterThanOrEqual(earliestExpiry - 1);
    expect(at - earliestExpiry).toBeLessThan(100);
    await lease!.release();
  }, 20_000);
});
