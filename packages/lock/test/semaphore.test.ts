import { setTimeout as sleep } from 'node:timers/promises';
import { CrossSlotError, InvalidArgumentError, LockNotOwnedError, LockTimeoutError, WrongTypeError, keySlot } from '@walrus/core';
import { Semaphore, type Permit } from '@walrus/lock';
import { describeTopologies } from '@walrus/testing';
import { blockedClients, eventually, uniqueName } from './helpers';

describeTopologies('Semaphore', (t) => {
  const zcard = async (key: string) => Number(await t.rawCommand<number>(['ZCARD', key], key));
  const serverMs = async (key: string) => {
    const [s, us] = await t.rawCommand<[string, string]>(['TIME'], key);
    return Number(s) * 1000 + Math.floor(Number(us) / 1000);
  };

  it('hands out at most `limit` permits; count() tells how many are held', async () => {
    const sem = new Semaphore(t.db, 'basic', 2, { ttl: '10s' });
    const a = (await sem.acquire())!;
    const b = (await sem.acquire())!;
    expect(a.token).not.toBe(b.token);
    expect(await sem.count()).toBe(2);
    expect(await sem.acquire({ block: false })).toBeNull();
    expect(await sem.acquire({ timeout: 100 })).toBeNull();
    // A failed try leaves nothing queued: its clean-up was sent before the call settled, so the next command
    // through the same handle (same connection, in order) sees it done.
    expect(await t.db.command(['ZCARD', sem.keys[1]])).toBe(0);
    await a.release();
    expect(await sem.count()).toBe(1);
    const c = (await sem.acquire({ block: false }))!;
    expect(c).not.toBeNull();
    await Promise.all([b.release(), c.release()]);
    expect(await sem.count()).toBe(0);
    expect(await zcard(sem.key)).toBe(0);
  });

  it('grants permits in arrival order across processes, each woken at once by the release', async () => {
    const sem = new Semaphore(t.db, 'fifo', 1, { ttl: '10s' });
    const holder = (await sem.acquire())!;
    // Four more handles stand in for four processes: each has its own connections and its own waiting loop.
    const handles = await Promise.all([1, 2, 3, 4].map(() => t.connect()));
    const order: number[] = [];
    const handoffs: number[] = [];
    let releasedAt = 0;
    const waiters: Promise<void>[] = [];
    for (const [i, db] of handles.entries()) {
      waiters.push(
        new Semaphore(db, 'fifo', 1, { ttl: '10s' }).acquire({ timeout: '10s' }).then(async (p) => {
          handoffs.push(performance.now() - releasedAt);
          order.push(i + 1);
          await sleep(5);
          releasedAt = performance.now();
          await p!.release();
        }),
      );
      // Arrival order is queue order: wait until this one is queued before starting the next.
      expect(await eventually(async () => (await zcard(sem.keys[1])) === i + 1)).toBe(true);
    }
    releasedAt = performance.now();
    await holder.release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3, 4]);
    // Woken by the release's event: the 1 s refresh alone would give a median near 500 ms.
    handoffs.sort((x, y) => x - y);
    expect(handoffs[2]).toBeLessThan(300);
  });

  it('never lets a try-once caller or a newcomer jump the queue', async () => {
    const sem = new Semaphore(t.db, 'nojump', 2, { ttl: '10s' });
    const held = (await sem.acquire())!;
    // A waiter of another process is first in line, eligible but not yet served (queue: its token, ticket 1).
    const now = await serverMs(sem.key);
    await t.rawCommand(['ZADD', sem.keys[1], '1', 'other-process'], sem.key);
    await t.rawCommand(['ZADD', sem.keys[2], String(now), 'other-process'], sem.key);
    await t.rawCommand(['SET', sem.keys[3], '1'], sem.key);
    expect(await sem.acquire({ block: false })).toBeNull();
    expect(await sem.count()).toBe(1);
    // Its process is told through the event stream that it may take the permit.
    const events = await t.rawCommand<[string, string[]][]>(['XRANGE', sem.keys[4], '-', '+'], sem.key);
    expect(events.at(-1)![1]).toEqual(['grant', 'other-process']);
    // Once it has gone unseen for 3 s it is dropped, and the permit is ours.
    await t.rawCommand(['ZADD', sem.keys[2], String(now - 3500), 'other-process'], sem.key);
    const mine = await sem.acquire({ block: false });
    expect(mine).not.toBeNull();
    expect(await zcard(sem.keys[1])).toBe(0);
    await Promise.all([held.release(), mine!.release()]);
  });

  it('frees the permit of a holder that never releases when its TTL ends (server clock)', async () => {
    const sem = new Semaphore(t.db, 'expiry', 1, { ttl: 200 });
    const stuck = (await sem.acquire())!;
    const t0 = performance.now();
    const next = await new Semaphore(t.db, 'expiry', 1, { ttl: '5s' }).acquire({ timeout: '3s' });
    const waited = performance.now() - t0;
    expect(next).not.toBeNull();
    expect(waited).toBeGreaterThan(150);
    expect(waited).toBeLessThan(800);
    await expect(stuck.release()).rejects.toThrow(LockNotOwnedError);
    await expect(stuck.extend()).rejects.toThrow(LockNotOwnedError);
    expect(await sem.count()).toBe(1);
    await next!.release();
  });

  it('extends permits, keeps them alive with autoExtend and stops on release', async () => {
    const sem = new Semaphore(t.db, 'extend', 1, { ttl: 1000, autoExtend: { every: 100 } });
    const permit = (await sem.acquire())!;
    await sleep(2200); // more than two TTLs
    expect(await sem.count()).toBe(1);
    expect(permit.signal.aborted).toBe(false);
    await permit.extend('5s');
    const expiry = Number(await t.rawCommand<string>(['ZSCORE', sem.key, permit.token], sem.key));
    expect(expiry - (await serverMs(sem.key))).toBeGreaterThan(4000);
    await permit.release();
    expect(permit.signal.aborted).toBe(true);
    await expect(permit.release()).rejects.toThrow(LockNotOwnedError);
    expect(await sem.count()).toBe(0);
  });

  it('runs withPermit bodies holding a permit and throws LockTimeoutError when none comes', async () => {
    const sem = new Semaphore(t.db, 'with', 1);
    const seen = await sem.withPermit(async (p: Permit) => {
      expect(await sem.count()).toBe(1);
      return p.token;
    });
    expect(typeof seen).toBe('string');
    expect(await sem.count()).toBe(0);
    await expect(sem.withPermit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await sem.count()).toBe(0);
    const held = (await sem.acquire())!;
    const err = await sem.withPermit(async () => 1, { timeout: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockTimeoutError);
    expect(err).toMatchObject({ lockName: 'with' });
    await held.release();
    {
      await using permit = await sem.acquire();
      expect(permit).not.toBeNull();
      expect(await sem.count()).toBe(1);
    }
    expect(await sem.count()).toBe(0);
  });

  it('leaves nothing behind when waiting acquires are aborted or time out', async () => {
    const name = uniqueName('sem-abort');
    const db = await t.connect({ client: { name } });
    const sem = new Semaphore(t.db, 'aborted', 1, { ttl: '10s' });
    const held = (await sem.acquire())!;
    const controllers = Array.from({ length: 5 }, () => new AbortController());
    const waits = controllers.map((c, i) => new Semaphore(i % 2 ? db : t.db, 'aborted', 1, { ttl: '10s' }).acquire({ signal: c.signal }));
    const timing = new Semaphore(db, 'aborted', 1, { ttl: '10s' }).acquire({ timeout: 150 });
    expect(await eventually(async () => (await zcard(sem.keys[1])) === 6)).toBe(true);
    expect(await eventually(async () => (await blockedClients(t, name, sem.keys[4])) === 1)).toBe(true);
    controllers.forEach((c, i) => setTimeout(() => c.abort(new Error(`stop ${i}`)), 10 * i));
    const results = await Promise.allSettled(waits);
    results.forEach((r, i) => expect(r).toMatchObject({ status: 'rejected', reason: new Error(`stop ${i}`) }));
    expect(await timing).toBeNull();
    expect(await eventually(async () => (await zcard(sem.keys[1])) === 0 && (await zcard(sem.keys[2])) === 0)).toBe(true);
    expect(await eventually(async () => (await blockedClients(t, name, sem.keys[4])) === 0)).toBe(true);
    expect(await sem.count()).toBe(1);

    // Aborts racing with the hand-off: a permit granted at the abort is given back.
    for (let round = 0; round < 10; round++) {
      const h = round === 0 ? held : (await sem.acquire({ timeout: '2s' }))!;
      const c = new AbortController();
      const wait = new Semaphore(db, 'aborted', 1, { ttl: '10s' }).acquire({ signal: c.signal });
      await eventually(async () => (await zcard(sem.keys[1])) === 1);
      await Promise.all([h.release(), Promise.resolve().then(() => c.abort(new Error('late')))]);
      await wait.then((p) => p?.release(), () => undefined);
    }
    expect(await eventually(async () => (await sem.count()) === 0 && (await zcard(sem.keys[1])) === 0)).toBe(true);
  });

  it('validates arguments before sending anything', async () => {
    expect(() => new Semaphore(t.db, 'v', 0)).toThrow(InvalidArgumentError);
    expect(() => new Semaphore(t.db, 'v', 1.5)).toThrow(InvalidArgumentError);
    expect(() => new Semaphore(t.db, 'v', 2, { ttl: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Semaphore(t.db, 'v', 2, { ttl: 100, autoExtend: { every: 200 } })).toThrow(InvalidArgumentError);
    expect(() => new Semaphore(t.db, '', 2)).toThrow(InvalidArgumentError);
    const sem = new Semaphore(t.db, 'v', 2);
    await expect(sem.acquire({ timeout: 'soon' as never })).rejects.toThrow(InvalidArgumentError);
    for (const k of sem.keys) expect(await t.rawCommand(['EXISTS', k], k)).toBe(0);
  });

  it('keeps its keys in one slot, lets them expire when idle and refuses wrong types without writing', async () => {
    const sem = new Semaphore(t.db, 'jobs', 2, { ttl: 300, eventTtl: 300 });
    expect(sem.keys).toEqual(['semaphore:', 'semaphore.queue:', 'semaphore.seen:', 'semaphore.ticket:', 'semaphore.event:'].map((p) => `${t.prefix}${p}{jobs}`));
    expect(new Set(sem.keys.map(keySlot)).size).toBe(1);
    if (t.isCluster) await expect(new Semaphore(t.db, 'jobs', 2, { hashTag: false }).acquire()).rejects.toThrow(CrossSlotError);
    const a = (await sem.acquire())!;
    const b = (await sem.acquire())!;
    const waiting = sem.acquire();
    await eventually(async () => (await zcard(sem.keys[1])) === 1);
    await a.release();
    await (await waiting)!.release();
    await b.release();
    // Idle: only the event stream is left, and it expires.
    const exists = () => Promise.all(sem.keys.map((k) => t.rawCommand<number>(['EXISTS', k], k)));
    expect(await exists()).toEqual([0, 0, 0, 0, 1]);
    expect(Number(await t.rawCommand(['PTTL', sem.keys[4]], sem.key))).toBeGreaterThan(0);
    expect(await eventually(async () => (await exists()).every((n) => n === 0), 1000)).toBe(true);

    await t.rawCommand(['SET', sem.keys[1], 'x'], sem.key);
    const err = await sem.acquire({ block: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: sem.keys[1], expected: 'zset', actual: 'string' });
    expect(await t.rawCommand(['EXISTS', sem.key], sem.key)).toBe(0);
    expect(await t.rawCommand(['EXISTS', sem.keys[3]], sem.key)).toBe(0);
  });
});
