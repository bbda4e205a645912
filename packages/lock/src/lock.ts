import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, LockNotOwnedError, LockTimeoutError, type Duration, type Walrus } from '@walrus/core';
import { LockLease, type Lease } from './lease';
import { LockQueue } from './lock-queue';
import { lockAcquire } from './lua/lock-acquire';
import { lockClear } from './lua/lock-clear';
import { lockExtend } from './lua/lock-extend';
import { lockRelease } from './lua/lock-release';
import { parseAcquire, parseAutoExtend, parseName, parseTtl, type AcquireOptions } from './options';

/** Options of a {@link Lock}. */
export interface LockOptions {
  /** How long a hold lasts unless released or extended (default: no expiry, as in walrus). Bare numbers are ms. */
  ttl?: Duration | null;
  /** The owner token stored while this lock is held (default: a random UUID per Lock). */
  token?: string;
  /** Keep extending a held lease (to `ttl`) every `every` (default `ttl / 3`) until it is released. Needs `ttl`. */
  autoExtend?: boolean | { every?: Duration };
  /** How long a release's wake-up stays in the event list when nobody takes it (default `'10s'`). */
  eventTtl?: Duration;
  /** Wrap the name in `{}` so the lock's keys share a cluster slot (default: the handle's setting). */
  hashTag?: boolean;
}

/**
 * A named lock over Redis (walrus' `Lock`). Waiters block on the lock's event list (BLPOP on a dedicated
 * connection, one per lock per process) and wake as soon as the holder releases, or as its TTL runs out.
 * Every acquisition draws a fencing token that is strictly greater than all before it. Not re-entrant: a
 * second acquire by the same Lock waits like anyone else.
 *
 * ```ts
 * const lock = new Lock(db, 'invoice:42', { ttl: '5s', autoExtend: true });
 * { await using lease = await lock.acquire({ timeout: '2s' }); if (lease) await write(lease.fence); }
 * ```
 */
export class Lock implements AsyncDisposable {
  /** The lock's name. */
  readonly name: string;
  /** The owner token this Lock stores while it holds the lock. */
  readonly token: string;
  /** The hold TTL in ms (`null`: holds never expire). */
  readonly ttl: number | null;
  /** The key holding the owner token: `lock:{name}` (`lock:name` without a hash tag). */
  readonly key: string;
  /** The list releases push a wake-up to: `lock.event:{name}`. Expires `eventTtl` after the last push. */
  readonly eventKey: string;
  /** The fencing-token counter: `lock.fence:{name}` (never expires). */
  readonly fenceKey: string;
  readonly #every: number | null;
  readonly #eventTtl: number;
  readonly #pending = new Set<AbortController>();
  #current?: LockLease;

  constructor(
    /** The handle the lock lives on. */
    readonly db: Walrus,
    name: string,
    o: LockOptions = {},
  ) {
    this.name = parseName(name);
    if (o.token !== undefined && (typeof o.token !== 'string' || o.token === ''))
      throw new InvalidArgumentError('token must be a non-empty string', { field: 'token', value: o.token });
    this.token = o.token ?? randomUUID();
    this.ttl = parseTtl(o.ttl, 'ttl', true);
    this.#every = parseAutoExtend(o.autoExtend, this.ttl);
    this.#eventTtl = parseTtl(o.eventTtl ?? '10s', 'eventTtl', false)!;
    const ks = db.keyspace(this.name, { hashTag: o.hashTag });
    this.key = ks.key('lock:');
    this.eventKey = ks.key('lock.event:');
    this.fenceKey = ks.key('lock.fence:');
  }

  /**
   * Takes the lock: resolves a {@link Lease}, or `null` when it is busy (`block: false`, `timeout: 0`) or the
   * timeout ran out. Aborting `signal` rejects with its reason; a hold won at that moment is given back.
   * One round trip when the lock is free.
   */
  async acquire(o?: AcquireOptions): Promise<Lease | null> {
    const started = performance.now();
    const { waitMs, signal } = parseAcquire(o);
    signal?.throwIfAborted();
    let knownPttl: number | undefined;
    if (waitMs === 0 || !LockQueue.existing(this.db, this.key)?.size) {
      const sentAt = performance.now();
      const [won, value] = await this.#attempt();
      if (won === 1) {
        if (signal?.aborted) {
          await this.#giveBack(value).catch(() => {});
          throw signal.reason;
        }
        return this.#lease(value, sentAt);
      }
      if (waitMs === 0) return null;
      knownPttl = value;
    }
    const ctrl = new AbortController();
    const forward = () => ctrl.abort(signal!.reason);
    signal?.addEventListener('abort', forward, { once: true });
    this.#pending.add(ctrl);
    try {
      const queue = LockQueue.for(this.db, this.key, this.eventKey, this.#eventTtl);
      const win = await queue.wait(
        {
          attempt: () => this.#attempt(),
          giveBack: (fence) => this.#giveBack(fence),
          ttl: this.ttl,
          deadline: started + waitMs,
          signal: ctrl.signal,
        },
        knownPttl,
      );
      return win && this.#lease(win.fence, win.sentAt);
    } finally {
      signal?.removeEventListener('abort', forward);
      this.#pending.delete(ctrl);
    }
  }

  /**
   * Releases the lock held by this Lock's token (its current lease, or a hold taken by another Lock with the
   * same token). `LockNotOwnedError` when this token does not hold it. One round trip.
   */
  async release(): Promise<void> {
    if (this.#current?.held) return this.#current.release();
    const ok = await lockRelease.run(this.db, [this.key, this.eventKey, this.fenceKey], [this.token, '', this.#eventTtl], { types: this.#types() });
    if (ok !== 1) throw new LockNotOwnedError(this.name);
  }

  /**
   * Resets the remaining time of the hold of this Lock's token to `ttl` (default: the lock's TTL).
   * `LockNotOwnedError` when this token does not hold it. One round trip.
   */
  async extend(ttl?: Duration): Promise<void> {
    if (this.#current?.held) return this.#current.extend(ttl);
    const ms = ttl === undefined ? this.ttl : parseTtl(ttl, 'ttl', false);
    if (ms === null) throw new InvalidArgumentError('extend() needs a ttl: this lock was made without one', { field: 'ttl', value: ttl });
    const ok = await lockExtend.run(this.db, [this.key, this.fenceKey], [this.token, '', ms], { types: this.#types() });
    if (ok !== 1) throw new LockNotOwnedError(this.name);
  }

  /**
   * Removes the lock whoever holds it and wakes one waiter: a way out of a deadlock, not a release (walrus'
   * `clear`). Fencing tokens keep increasing across it. One round trip.
   */
  async clear(): Promise<void> {
    await lockClear.run(this.db, [this.key, this.eventKey], [this.#eventTtl], { types: { [this.eventKey]: 'list' } });
    this.#current?.lose();
  }

  /** True while anyone holds the lock. One round trip. */
  async locked(): Promise<boolean> {
    return (await this.db.command<number>(['EXISTS', this.key])) === 1;
  }

  /**
   * Runs `fn` under the lock and releases it afterwards, also when `fn` throws. Throws `LockTimeoutError`
   * when the lock could not be taken (busy with `block: false`, or the timeout ran out), and
   * `LockNotOwnedError` when the lease was lost before `fn` finished.
   */
  async withLock<T>(fn: (lease: Lease) => Promise<T> | T, o?: AcquireOptions): Promise<T> {
    const started = performance.now();
    const lease = await this.acquire(o);
    if (!lease) throw new LockTimeoutError(this.name, Math.round(performance.now() - started));
    let result: T;
    try {
      result = await fn(lease);
    } catch (err) {
      await lease.release().catch(() => {});
      throw err;
    }
    await lease.release();
    return result;
  }

  /**
   * Ends this Lock's pending acquires (they reject with an `AbortError`) and releases its current lease, if
   * it still holds one.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    for (const ctrl of this.#pending) ctrl.abort(new DOMException(`lock "${this.name}" was disposed`, 'AbortError'));
    const lease = this.#current;
    if (lease?.held) await lease.release().catch((err: unknown) => {
      if (!(err instanceof LockNotOwnedError)) throw err;
    });
  }

  #types(): Record<string, string> {
    return { [this.key]: 'string', [this.eventKey]: 'list', [this.fenceKey]: 'string' };
  }

  #attempt(): Promise<[number, number]> {
    return lockAcquire.run(this.db, [this.key, this.fenceKey], [this.token, this.ttl ?? 0], { types: this.#types() });
  }

  async #giveBack(fence: number): Promise<void> {
    await lockRelease.run(this.db, [this.key, this.eventKey, this.fenceKey], [this.token, fence, this.#eventTtl]);
  }

  #lease(fence: number, sentAt: number): Lease {
    const lease: LockLease = new LockLease(
      this.name,
      this.token,
      fence,
      {
        release: async () => (await lockRelease.run(this.db, [this.key, this.eventKey, this.fenceKey], [this.token, fence, this.#eventTtl], { types: this.#types() })) === 1,
        extend: async (ttl) => (await lockExtend.run(this.db, [this.key, this.fenceKey], [this.token, fence, ttl], { types: this.#types() })) === 1,
      },
      {
        ttl: this.ttl,
        every: this.#every,
        sentAt,
        onEnd: () => {
          if (this.#current === lease) this.#current = undefined;
        },
      },
    );
    this.#current = lease;
    return lease;
  }
}
