import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { keySlot } from '@walrus/core';
import { ConsumerGroup } from '@walrus/streams';
import { describeTopologies } from '@walrus/testing';

const TOTAL = 10_000;
const FIXTURE = join(__dirname, 'fixtures', 'consumer.ts');

describeTopologies('consumer loop reliability', (t) => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  function startConsumer(consumer: string, extra: Record<string, string>): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: join(__dirname, '..'),
      env: {
        ...process.env,
        WALRUS_CONNECT: JSON.stringify({ ...t.connectOptions, prefix: t.prefix }),
        GROUP: 'reliable',
        STREAMS: JSON.stringify(['rel-a', 'rel-b']),
        CONSUMER: consumer,
        PROCESSED: 'rel-processed',
        BY_CONSUMER: 'rel-by-consumer',
        ...extra,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise((resolve, reject) => {
      child.stdout!.once('data', () => resolve(child));
      child.once('exit', (code) => reject(new Error(`consumer ${consumer} exited with ${code} before it was ready:\n${stderr}`)));
    });
  }

  const exited = (c: ChildProcess) => new Promise<number | null>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(c.exitCode) : c.once('exit', (code) => resolve(code))));

  it('processes 10,000 messages at least once across three consumers when one is killed mid-batch', async () => {
    const group = new ConsumerGroup(t.db, 'reliable', ['rel-a', 'rel-b']);
    if (t.isCluster) expect(keySlot(t.key('rel-a'))).not.toBe(keySlot(t.key('rel-b')));
    await group.create();
    const produced = new Set<string>();
    for (let i = 0; i < TOTAL / 1000; i++) {
      const name = i % 2 ? 'rel-b' : 'rel-a';
      const ids = await group.stream(name).addMany(Array.from({ length: 1000 }, (_, j) => ({ n: i * 1000 + j })));
      for (const id of ids) produced.add(`${name}/${id}`);
    }
    expect(produced.size).toBe(TOTAL);

    // The victim processes slowly (2 ms a message, batches of 50 per stream) and is killed inside its first batch:
    // it has processed some messages of it, acknowledged none (acks go out with the next read), and holds the rest.
    const [victim, s1, s2] = await Promise.all([
      startConsumer('victim', { DELAY_MS: '2', COUNT: '50' }),
      startConsumer('survivor-1', { DELAY_MS: '0', COUNT: '20' }),
      startConsumer('survivor-2', { DELAY_MS: '0', COUNT: '20' }),
    ]);
    for (const c of [victim, s1, s2]) c.stdin!.write('go\n');
    const victimDone = async () => Number((await t.db.command(['HGET', t.key('rel-by-consumer'), 'victim'])) ?? 0);
    const deadline = Date.now() + 30_000;
    while ((await victimDone()) < 30) {
      if (Date.now() > deadline) throw new Error('the victim never got going');
      await sleep(5);
    }
    process.kill(victim.pid!, 'SIGKILL');
    await exited(victim);
    const victimPending = (
      await Promise.all((['rel-a', 'rel-b'] as const).map(async (n) => (await group.stream(n).pendingSummary()).consumers.victim ?? 0))
    ).reduce((a, b) => a + b, 0);
    // Killed mid-batch: it held delivered messages it had not acknowledged.
    expect(victimPending).toBeGreaterThan(0);

    const pendingTotal = async () => (await Promise.all((['rel-a', 'rel-b'] as const).map(async (n) => (await group.stream(n).pendingSummary()).count))).reduce((a, b) => a + b, 0);
    const processedCount = async () => Number(await t.db.command(['HLEN', t.key('rel-processed')]));
    const end = Date.now() + 40_000;
    while ((await processedCount()) < TOTAL || (await pendingTotal()) > 0) {
      if (Date.now() > end) throw new Error(`stuck: ${await processedCount()} processed, ${await pendingTotal()} pending`);
      await sleep(50);
    }
    s1.kill('SIGTERM');
    s2.kill('SIGTERM');
    expect(await Promise.all([exited(s1), exited(s2)])).toEqual([0, 0]);

    const counts = (await t.db.command<string[]>(['HGETALL', t.key('rel-processed')])) as string[];
    const seen = new Map<string, number>();
    for (let i = 0; i < counts.length; i += 2) seen.set(counts[i], Number(counts[i + 1]));
    expect(new Set(seen.keys())).toEqual(produced);
    const duplicates = [...seen.values()].reduce((a, b) => a + b, 0) - TOTAL;
    // Only what the victim held unacknowledged can have been processed twice.
    expect(duplicates).toBeLessThanOrEqual(victimPending);
    for (const n of ['rel-a', 'rel-b'] as const) {
      const info = await group.stream(n).groupInfo();
      expect(info).toMatchObject({ pending: 0, lag: 0 });
    }
    const byConsumer = (await t.db.command<string[]>(['HGETALL', t.key('rel-by-consumer')])) as string[];
    console.log(
      `[${t.topology}] ${TOTAL} messages, 3 consumers, victim SIGKILLed holding ${victimPending} unacknowledged; ` +
        `duplicates: ${duplicates}; processed per consumer: ${byConsumer.join(' ')}`,
    );
  }, 60_000);
});
