import { setTimeout as sleep } from 'node:timers/promises';
import { CrossSlotError, InvalidArgumentError, LockNotOwnedError, LockTimeoutError, ScriptError, WrongTypeError, connect, keySlot } from '@walrus/core';
import { Lock, type Lease } from '@walrus/lock';
import { describeTopologies } from '@walrus/testing';
import { blockedClients, eventually, uniqueName } from './helpers';

describeTopologies('Lock', (t) => {
  const get = (key: string) => t.rawCommand<string | null>(['GET', key], key);
  const pttl = async (key: string) => Number(await t.rawCommand<number>(['PTTL', key], key));

  it('is held by one owner at a time: try-once gets null, a waiter gets it on release', async () => {
    // The holder's TTL is long, so nothing but the release's wake-up can get the waiter in before its BLPOP
    // backstop (5 s) runs out.
    const a = new Lock(t.db, 'basic', { ttl: '30s' });
    const b = new Lock(t.db, 'basic');
    const lease = await a.acquire();
    expect(lease).not.toBeNull();
    expect(lease!.token).toBe(a.token);
    expect(await get(a.key)).toBe(a.token);
    expect(await a.locked()).toBe(true);
    expect(await b.acquire({ block: false })).toBeNull();
    expect(await b.acquire({ timeout: 0 })).toBeNull();
    const waiting = b.acquire();
    await sleep(50);
    const released = performance.now();
    await lease!.release();
    const next = await waiting;
    expect(performance.now() - released).toBeLessThan(4000);
    expect(next!.token).toBe(b.token);
    expect(await get(a.key)).toBe(b.token);
    await next!.release();
    expect(await a.locked()).toBe(false);
  });

  it('draws a strictly increasing fencing token on every acquire, across Lock instances and clear()', async () => {
    const locks = [new Lock(t.db, 'fenced'), new Lock(t.db, 'fenced'), new Lock(await t.connect(), 'fenced')];
    const seen: number[] = [];
    for (let i = 0; i < 9; i++) {
      const lease = (await locks[i % 3].acquire())!;
      seen.push(lease.fence);
      if (i === 4) await locks[0].clear();
      else await lease.release();
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    expect(Number(await get(locks[0].fenceKey))).toBe(seen.at(-1));
    expect(await pttl(locks[0].fenceKey)).toBe(-1);
  });

  it('raises LockNotOwnedError (naming the lock) on release or extend by a non-owner, changing nothing', async () => {
    const owner = new Lock(t.db, 'owned', { ttl: '10s' });
    const other = new Lock(t.db, 'owned', { ttl: '10s' });
    const lease = (await owner.acquire())!;
    const err = await other.release().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockNotOwnedError);
    expect(err).toMatchObject({ name: 'LockNotOwnedError', lockName: 'owned' });
    await expect(other.extend('20s')).rejects.toThrow(LockNotOwnedError);
    expect(await get(owner.key)).toBe(owner.token);
    expect(await pttl(owner.key)).toBeLessThanOrEqual(10_000);
    await lease.release();
    await expect(lease.release()).rejects.toThrow(LockNotOwnedError);
    await expect(owner.release()).rejects.toThrow(LockNotOwnedError);
    await expect(lease.extend()).rejects.toThrow(LockNotOwnedError);
  });

  it('tells leases of one Lock apart: an old lease cannot release a newer hold of the same token', async () => {
    const lock = new Lock(t.db, 'generations', { ttl: 100 });
    const first = (await lock.acquire())!;
    await sleep(150); // first expires
    const sameOwner = new Lock(t.db, 'generations', { token: lock.token, ttl: '30s' });
    const second = (await sameOwner.acquire())!;
    expect(second.token).toBe(first.token);
    expect(second.fence).toBeGreaterThan(first.fence);
    await expect(first.release()).rejects.toThrow(LockNotOwnedError);
    await expect(first.extend()).rejects.toThrow(LockNotOwnedError);
    expect(await get(lock.key)).toBe(lock.token);
    await second.release();
  });

  it('resolves null when the timeout runs out and withLock throws LockTimeoutError', async () => {
    const holder = new Lock(t.db, 'busy');
    const lease = (await holder.acquire())!;
    const waiter = new Lock(t.db, 'busy');
    const t0 = performance.now();
    expect(await waiter.acquire({ timeout: 200 })).toBeNull();
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(195);
    expect(waited).toBeLessThan(3000);
    const err = await waiter.withLock(async () => 'never', { block: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockTimeoutError);
    expect(err).toMatchObject({ lockName: 'busy' });
    const timedOut = await waiter.withLock(async () => 'never', { timeout: '100ms' }).catch((e: unknown) => e);
    expect((timedOut as LockTimeoutError).waitedMs).toBeGreaterThanOrEqual(95);
    await lease.release();
  });

  it('takes TTLs in milliseconds at any size: a 50 ms hold frees its waiter soon after expiry', async () => {
    const holder = new Lock(t.db, 'short', { ttl: 50 });
    const lease = (await holder.acquire())!;
    expect(await pttl(holder.key)).toBeLessThanOrEqual(50);
    const t0 = performance.now();
    const next = await new Lock(t.db, 'short', { ttl: '2s' }).acquire({ timeout: '2s' });
    const waited = performance.now() - t0;
    expect(next).not.toBeNull();
    expect(waited).toBeLessThan(1500); // walrus' waiters never woke on such a TTL
    expect(next!.fence).toBeGreaterThan(lease.fence);
    await expect(lease.release()).rejects.toThrow(LockNotOwnedError);
    await next!.release();
    // Fractions round up to whole milliseconds; strings carry a unit; under 1 ms is refused.
    expect(new Lock(t.db, 'x', { ttl: 1.5 }).ttl).toBe(2);
    expect(new Lock(t.db, 'x', { ttl: '1.5s' }).ttl).toBe(1500);
    expect(() => new Lock(t.db, 'x', { ttl: 0.5 })).toThrow(InvalidArgumentError);
  });

  it('lets the event list expire (walrus kept it forever)', async () => {
    const lock = new Lock(t.db, 'events', { eventTtl: 300 });
    await (await lock.acquire())!.release();
    expect(await t.rawCommand(['LLEN', lock.eventKey], lock.eventKey)).toBe(1);
    const left = await pttl(lock.eventKey);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(300);
    // Releases keep one wake-up at most.
    await (await lock.acquire())!.release();
    expect(await t.rawCommand(['LLEN', lock.eventKey], lock.eventKey)).toBe(1);
    expect(await eventually(async () => (await t.rawCommand(['EXISTS', lock.eventKey], lock.eventKey)) === 0, 1000)).toBe(true);
  });

  it('extends: extend() resets the remaining time, autoExtend keeps a short TTL alive and stops on release', async () => {
    const lock = new Lock(t.db, 'extend', { ttl: 300 });
    const lease = (await lock.acquire())!;
    await lease.extend('5s');
    expect(await pttl(lock.key)).toBeGreaterThan(4000);
    await lock.extend(); // back to the lock's ttl
    expect(await pttl(lock.key)).toBeLessThanOrEqual(300);
    await lease.release();

    const auto = new Lock(t.db, 'auto', { ttl: 1000, autoExtend: { every: 100 } });
    const held = (await auto.acquire())!;
    await sleep(2200); // more than two TTLs
    expect(await get(auto.key)).toBe(auto.token);
    expect(held.signal.aborted).toBe(false);
    await held.release();
    expect(held.signal.aborted).toBe(true);
    expect((held.signal.reason as Error).name).toBe('AbortError');
    expect(await auto.locked()).toBe(false);
    // Recreate exactly the hold the lease had: a still-running extension would keep it alive past 300 ms.
    await t.rawCommand(['SET', auto.key, auto.token, 'PX', '300'], auto.key);
    await sleep(450);
    expect(await auto.locked()).toBe(false);
  });

  it('aborts the lease signal when the lease is lost or its TTL passes without an extension', async () => {
    const auto = new Lock(t.db, 'lost', { ttl: 400, autoExtend: { every: 50 } });
    const lease = (await auto.acquire())!;
    await new Lock(t.db, 'lost').clear();
    expect(await eventually(async () => lease.signal.aborted, 1000)).toBe(true);
    expect(lease.signal.reason).toBeInstanceOf(LockNotOwnedError);
    await expect(lease.release()).rejects.toThrow(LockNotOwnedError);

    const plain = new Lock(t.db, 'expiring', { ttl: 100 });
    const short = (await plain.acquire())!;
    expect(short.signal.aborted).toBe(false);
    await sleep(150);
    expect(short.signal.aborted).toBe(true);
    expect(short.signal.reason).toBeInstanceOf(LockNotOwnedError);
  });

  it('releases at the end of an `await using` scope, and Lock disposal ends its pending acquires', async () => {
    const lock = new Lock(t.db, 'scoped');
    {
      await using lease = await lock.acquire();
      expect(lease).not.toBeNull();
      expect(await lock.locked()).toBe(true);
    }
    expect(await lock.locked()).toBe(false);
    {
      await using busy = await new Lock(t.db, 'scoped').acquire();
      await using none = await lock.acquire({ block: false });
      expect(busy).not.toBeNull();
      expect(none).toBeNull();
    }
    expect(await lock.locked()).toBe(false);

    const holder = new Lock(t.db, 'scoped');
    await holder.acquire();
    const waiter = new Lock(t.db, 'scoped');
    const pending = waiter.acquire();
    await sleep(20);
    await waiter[Symbol.asyncDispose]();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await holder[Symbol.asyncDispose]();
    expect(await holder.locked()).toBe(false);
  });

  it('runs withLock bodies under the lock and releases also when they throw', async () => {
    const lock = new Lock(t.db, 'with', { ttl: '5s' });
    const seen = await lock.withLock(async (lease: Lease) => {
      expect(await get(lock.key)).toBe(lease.token);
      return lease.fence;
    });
    expect(seen).toBeGreaterThan(0);
    expect(await lock.locked()).toBe(false);
    await expect(
      lock.withLock(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await lock.locked()).toBe(false);
    // A body that outlives the TTL learns that its lease was lost.
    const short = new Lock(t.db, 'with-short', { ttl: 50 });
    await expect(short.withLock(() => sleep(100))).rejects.toThrow(LockNotOwnedError);
  });

  it('clears a lock whoever holds it and wakes a waiter at once', async () => {
    const holder = new Lock(t.db, 'stuck', { ttl: '30s' }); // long: only the clear's wake-up lets the waiter in before 5 s
    const lease = (await holder.acquire())!;
    const waiting = new Lock(t.db, 'stuck').acquire();
    await sleep(50);
    const t0 = performance.now();
    await new Lock(t.db, 'stuck').clear();
    const next = await waiting;
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(next!.fence).toBeGreaterThan(lease.fence);
    await expect(lease.release()).rejects.toThrow(LockNotOwnedError);
    await next!.release();
  });

  it('serves waiters of one process in arrival order through one shared BLPOP', async () => {
    const name = uniqueName('fifo');
    const db = await t.connect({ client: { name } });
    const holder = new Lock(db, 'fifo');
    const lease = (await holder.acquire())!;
    const order: number[] = [];
    const waiters = [1, 2, 3, 4, 5].map((i) =>
      new Lock(db, 'fifo').acquire().then(async (l) => {
        order.push(i);
        await l!.release();
      }),
    );
    // One blocked connection for all five (a cluster duplicate may take a moment to connect).
    const samples: number[] = [];
    await eventually(async () => (samples.push(await blockedClients(t, name, holder.eventKey)), samples.length >= 20), 3000);
    expect(Math.max(...samples)).toBe(1);
    await lease.release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves nothing behind when waiting acquires are aborted', async () => {
    const name = uniqueName('abort');
    const db = await t.connect({ client: { name } });
    const holder = new Lock(t.db, 'aborted', { ttl: '10s' });
    const lease = (await holder.acquire())!;
    const controllers = Array.from({ length: 6 }, () => new AbortController());
    const waits = controllers.map((c, i) => new Lock(i % 2 ? db : t.db, 'aborted').acquire({ signal: c.signal }));
    expect(await eventually(async () => (await blockedClients(t, name, holder.eventKey)) === 1)).toBe(true);
    controllers.forEach((c, i) => setTimeout(() => c.abort(new Error(`stop ${i}`)), 10 * i));
    const results = await Promise.allSettled(waits);
    results.forEach((r, i) => expect(r).toMatchObject({ status: 'rejected', reason: new Error(`stop ${i}`) }));
    expect(await eventually(async () => (await blockedClients(t, name, holder.eventKey)) === 0)).toBe(true);
    // No BLPOP is left on the event list: the release's wake-up stays there, unconsumed.
    await t.rawCommand(['DEL', holder.eventKey], holder.eventKey);
    await lease.release();
    await sleep(50);
    expect(await t.rawCommand(['LLEN', holder.eventKey], holder.eventKey)).toBe(1);
    expect(await holder.locked()).toBe(false);

    // Aborts that race with a release: a hold won at the abort is given back.
    for (let round = 0; round < 10; round++) {
      const hold = (await holder.acquire())!;
      const c = new AbortController();
      const wait = new Lock(db, 'aborted').acquire({ signal: c.signal });
      await sleep(5);
      await Promise.all([hold.release(), Promise.resolve().then(() => c.abort(new Error('late')))]);
      await wait.then((l) => l?.release(), () => undefined);
    }
    expect(await eventually(async () => !(await holder.locked()))).toBe(true);

    // Aborted before the start: rejects with the reason and sends nothing (this handle is closed).
    const closed = await connect({ ...t.connectOptions, prefix: t.prefix });
    await closed.close();
    const early = new AbortController();
    early.abort(new Error('not now'));
    await expect(new Lock(closed, 'aborted').acquire({ signal: early.signal })).rejects.toThrow('not now');
  });

  it('validates arguments before sending anything', async () => {
    const bad: [string, () => unknown][] = [
      ['empty name', () => new Lock(t.db, '')],
      ['ttl 0', () => new Lock(t.db, 'v', { ttl: 0 })],
      ['negative ttl', () => new Lock(t.db, 'v', { ttl: -5 })],
      ['malformed ttl', () => new Lock(t.db, 'v', { ttl: '5 weeks' as never })],
      ['autoExtend without ttl', () => new Lock(t.db, 'v', { autoExtend: true })],
      ['every >= ttl', () => new Lock(t.db, 'v', { ttl: 100, autoExtend: { every: 100 } })],
      ['empty token', () => new Lock(t.db, 'v', { token: '' })],
      ['eventTtl 0', () => new Lock(t.db, 'v', { eventTtl: 0 })],
    ];
    for (const [label, make] of bad) {
      let err: unknown;
      try {
        make();
      } catch (e) {
        err = e;
      }
      expect([label, err]).toEqual([label, expect.any(InvalidArgumentError)]);
    }
    const lock = new Lock(t.db, 'v');
    await expect(lock.acquire({ timeout: -1 })).rejects.toThrow(InvalidArgumentError);
    await expect(lock.acquire({ block: 'no' as never })).rejects.toThrow(InvalidArgumentError);
    await expect(lock.acquire({ signal: {} as never })).rejects.toThrow(InvalidArgumentError);
    await expect(lock.extend()).rejects.toThrow(InvalidArgumentError);
    expect(await t.rawCommand(['EXISTS', lock.key], lock.key)).toBe(0);
    expect(await t.rawCommand(['EXISTS', lock.fenceKey], lock.fenceKey)).toBe(0);
  });

  it('names its keys lock:{N}, lock.event:{N}, lock.fence:{N}; hashTag: false gives the Python names', async () => {
    const lock = new Lock(t.db, 'jobs');
    expect([lock.key, lock.eventKey, lock.fenceKey]).toEqual([`${t.prefix}lock:{jobs}`, `${t.prefix}lock.event:{jobs}`, `${t.prefix}lock.fence:{jobs}`]);
    expect(new Set([lock.key, lock.eventKey, lock.fenceKey].map(keySlot)).size).toBe(1);
    const py = new Lock(t.db, 'jobs', { hashTag: false });
    expect([py.key, py.eventKey]).toEqual([`${t.prefix}lock:jobs`, `${t.prefix}lock.event:jobs`]);
    if (t.isCluster) {
      // Untagged keys land in different slots: refused before anything is written.
      await expect(py.acquire()).rejects.toThrow(CrossSlotError);
      expect(await t.rawCommand(['EXISTS', py.key], py.key)).toBe(0);
      return;
    }
    // A Python walrus holder (SETNX + PEXPIRE under lock:<name>) keeps us out; our release wakes its waiters.
    await t.rawCommand(['SET', py.key, 'python-lock-id', 'NX', 'PX', '5000']);
    expect(await py.acquire({ block: false })).toBeNull();
    await t.rawCommand(['DEL', py.key]);
    const lease = (await py.acquire())!;
    await lease.release();
    expect(await t.rawCommand(['LRANGE', py.eventKey, '0', '-1'])).toEqual(['1']);
  });

  it('writes nothing when a key holds the wrong type or the fence is not a number', async () => {
    const lock = new Lock(t.db, 'typed', { ttl: '5s' });
    await t.rawCommand(['SET', lock.fenceKey, 'not-a-number'], lock.fenceKey);
    const err = await lock.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScriptError);
    expect(err).toMatchObject({ reason: 'FENCE' });
    expect(await t.rawCommand(['EXISTS', lock.key], lock.key)).toBe(0);
    await t.rawCommand(['DEL', lock.fenceKey], lock.fenceKey);

    const lease = (await lock.acquire())!;
    await t.rawCommand(['SET', lock.eventKey, 'x'], lock.eventKey);
    const wrong = await lease.release().catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(WrongTypeError);
    expect(wrong).toMatchObject({ key: lock.eventKey, expected: 'list', actual: 'string' });
    expect(await get(lock.key)).toBe(lock.token); // still held: the release changed nothing
    await t.rawCommand(['DEL', lock.eventKey], lock.eventKey);
    await lease.release();

    await t.rawCommand(['HSET', lock.key, 'f', 'v'], lock.key);
    await expect(lock.acquire()).rejects.toThrow(WrongTypeError);
    await t.rawCommand(['DEL', lock.key], lock.key);
  });
});
