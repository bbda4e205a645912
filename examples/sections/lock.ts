import { setTimeout as sleep } from 'node:timers/promises';
import type { Walrus } from '@walrus/core';
import { Lock, Semaphore } from '@walrus/lock';

export async function tour(db: Walrus): Promise<void> {
  // A lease carries a fencing token; `await using` releases it at the end of the scope.
  const lock = new Lock(db, 'invoice:42', { ttl: '5s' });
  {
    await using lease = await lock.acquire({ timeout: '2s' });
    console.log(`acquired invoice:42 with fence ${lease?.fence}; locked() -> ${await lock.locked()}`);
    console.log('another owner trying once ->', await new Lock(db, 'invoice:42').acquire({ block: false }));
  }
  console.log('after the scope, locked() ->', await lock.locked());

  // Waiters block on the lock's event list, so a release wakes the next one at once (no polling).
  const held = (await lock.acquire())!;
  let releasedAt = 0;
  const waiter = new Lock(db, 'invoice:42').acquire().then((lease) => {
    console.log(`the waiter held it ${(performance.now() - releasedAt).toFixed(1)} ms after the release, fence ${lease?.fence}`);
    return lease;
  });
  await sleep(50);
  releasedAt = performance.now();
  await held.release();
  await (await waiter)?.release();

  // A holder that never releases (a crashed process) frees the lock when its TTL runs out, even a short one.
  await new Lock(db, 'report', { ttl: 300 }).acquire();
  const t0 = performance.now();
  const after = await new Lock(db, 'report').acquire({ timeout: '2s' });
  console.log(`a 300 ms hold was never released; the next owner got it after ${Math.round(performance.now() - t0)} ms (fence ${after?.fence})`);

  // Only the owner may release.
  try {
    await new Lock(db, 'report').release();
  } catch (err) {
    console.log(`release by a non-owner -> ${(err as Error).name} (lock "${(err as { lockName: string }).lockName}")`);
  }
  await after?.release();

  // withLock runs a function under the lock; a busy lock with block: false throws LockTimeoutError.
  const total = await lock.withLock(async (lease) => `computed under fence ${lease.fence}`);
  console.log('withLock ->', total);

  // A semaphore: at most 2 of 5 jobs run at once, served in arrival order.
  const gpu = new Semaphore(db, 'gpu', 2, { ttl: '10s' });
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    [1, 2, 3, 4, 5].map((job) =>
      gpu.withPermit(async () => {
        order.push(job);
        peak = Math.max(peak, ++running);
        await sleep(20);
        running--;
      }),
    ),
  );
  console.log(`5 jobs through Semaphore(2): started in order ${order.join(', ')}, at most ${peak} at once; count() -> ${await gpu.count()}`);
}
