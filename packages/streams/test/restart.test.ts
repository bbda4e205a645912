import { setTimeout as sleep } from 'node:timers/promises';
import { connect, keySlot, type Reply, type Walrus } from '@walrus/core';
import { ConsumerGroup } from '@walrus/streams';
import { describeTopologies, startCluster, startServer, type RedisServer } from '@walrus/testing';

const PERSISTENT = ['--appendonly', 'yes', '--appendfsync', 'always'];
const TOTAL = 2000;

describeTopologies('consumer loop across a Redis restart', (t) => {
  it('recovers after the server restarts, without losing acknowledged state', async () => {
    // A dedicated server (or cluster) with an fsync'ed append-only file, so acknowledgements survive the restart.
    const cluster = t.isCluster ? await startCluster({ args: PERSISTENT }) : undefined;
    const server = cluster ? undefined : await startServer({ args: PERSISTENT });
    let db: Walrus | undefined;
    try {
      db = await connect(cluster ? { cluster: { rootNodes: cluster.rootNodes }, prefix: t.prefix } : { url: server!.url, prefix: t.prefix });
      const group = new ConsumerGroup(db, 'survivors', 'restart-jobs');
      await group.create();
      const stream = group.stream('restart-jobs');
      for (let i = 0; i < TOTAL / 500; i++) await stream.addMany(Array.from({ length: 500 }, (_, j) => ({ n: i * 500 + j })));

      let target: RedisServer = server!;
      if (cluster) {
        const slot = keySlot(stream.key);
        const ranges = (await db.command<Reply[][]>(['CLUSTER', 'SLOTS'], { key: stream.key })) as Reply[][];
        const owner = ranges.find((r) => Number(r[0]) <= slot && slot <= Number(r[1]))!;
        target = cluster.nodes.find((n) => n.port === Number((owner[2] as Reply[])[1]))!;
      }

      const counts = new Map<string, number>();
      const ctrl = new AbortController();
      let restarted: Promise<void> | undefined;
      let ackedBefore: Set<string> | undefined;
      let countWhenBack = 0;
      const runId = async () => /run_id:(\w+)/.exec(String(await db!.command(['INFO', 'server'], { key: stream.key })))![1];
      const runIdBefore = await runId();
      const loop = (async () => {
        for await (const m of group.consume({ signal: ctrl.signal, count: 20, block: '200ms', claimIdle: '1s' })) {
          counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
          await sleep(1);
          if (counts.size === 500 && !restarted) {
            // Snapshot what the group has acknowledged (delivered, not pending), then restart in the background.
            const pending = new Set((await stream.pending({ count: TOTAL })).map((p) => p.id));
            const info = await stream.groupInfo();
            const delivered = (await stream.range({ end: info!.lastDeliveredId })).map((e) => e.id);
            ackedBefore = new Set(delivered.filter((id) => !pending.has(id)));
            restarted = target.restart().then(() => {
              countWhenBack = counts.size;
            });
          }
        }
      })();
      const deadline = Date.now() + 40_000;
      while (counts.size < TOTAL || (await stream.pendingSummary().catch(() => ({ count: 1 }))).count > 0) {
        if (Date.now() > deadline) throw new Error(`stuck at ${counts.size} messages`);
        await sleep(50);
      }
      ctrl.abort();
      await loop;
      await restarted;

      // The server really restarted, while messages were still waiting.
      expect(await runId()).not.toBe(runIdBefore);
      expect(countWhenBack).toBeLessThan(TOTAL);
      expect(ackedBefore!.size).toBeGreaterThan(400);
      expect(counts.size).toBe(TOTAL);
      const redelivered = [...ackedBefore!].filter((id) => counts.get(id)! > 1);
      expect(redelivered).toEqual([]);
      expect(await stream.groupInfo()).toMatchObject({ pending: 0, lag: 0 });
      const duplicates = [...counts.values()].reduce((a, b) => a + b, 0) - TOTAL;
      console.log(`[${t.topology}] restart during consumption: ${ackedBefore!.size} acknowledged before it, none redelivered; ${duplicates} duplicates in all`);
    } finally {
      await db?.close();
      await (cluster ?? server)!.stop();
    }
  }, 60_000);
});
