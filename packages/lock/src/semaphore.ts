import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, LockTimeoutError, type Duration, type Walrus } from '@walrus/core';
import { Hold, type Permit } from './lease';
import { semaphoreAcquire } from './lua/semaphore-acquire';
import { semaphoreCount } from './lua/semaphore-count';
import { semaphoreExtend } from './lua/semaphore-extend';
import { semaphoreRelease } from './lua/semaphore-release';
import { parseAcquire, parseAutoExtend, parseName, parseTtl, type AcquireOptions } from './options';
import { SemaphoreQueue, STALE_MS, type SemaphoreSpec } from './semaphore-queue';

/** Options of a {@link Semaphore}. */
export interface SemaphoreOptions {
  /** How long a permit lasts unless released or extended (default `'60s'`), so a crashed holder frees its slot. */
  ttl?: Duration;
  /** Keep extending a held permit every `every` (default `ttl / 3`) until it is released. */
  autoExtend?: boolean | { every?: Duration };
  /** How long a wake-up entry stays in the event stream (default `'10s'`). */
  eventTtl?: Duration;
  /** Wrap the name in `{}` so the semaphore's keys share a cluster slot (default: the handle's setting). */
  hashTag?: boolean;
}

/**
 * A counting semaphore: at most `limit` permits are held at once, granted in arrival order (FIFO) across
 * processes. Permits expire after `ttl` (server clock) unless released or extended; waiters wake as soon as a
 * release makes them eligible.
 *
 * ```ts
 * const pool = new Semaphore(db, 'gpu', 2, { ttl: '30s', autoExtend: true });
 * await pool.withPermit(async (permit) => render(job, { signal: permit.signal }));
 * ```
 */
export class Semaphore {
  /** The semaphore's name. */
  readonly name: string;
  /** Most permits held at once. */
  readonly limit: number;
  /** A permit's TTL in ms. */
  readonly ttl: number;
  /** ZSET of holders (token -> expiry ms): `semaphore:{name}`. */
  readonly key: string;
  /** The keys the scripts use: holders, queue, seen, ticket, event (`semaphore.queue:{name}` …). */
  readonly keys: readonly string[];
  readonly #every: number | null;
  readonly #spec: SemaphoreSpec;

  constructor(
    /** The handle the semaphore lives on. */
    readonly db: Walrus,
    name: string,
    limit: number,
    o: SemaphoreOptions = {},
  ) {
    this.name = parseName(name);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidArgumentError(`limit must be a positive integer, got ${String(limit)}`, { field: 'limit', value: limit });
    this.limit = limit;
    this.ttl = parseTtl(o.ttl ?? '60s', 'ttl', false)!;
    this.#every = parseAutoExtend(o.autoExtend, this.ttl);
    const eventTtl = parseTtl(o.eventTtl ?? '10s', 'eventTtl', false)!;
    const ks = db.keyspace(this.name, { hashTag: o.hashTag });
    const keys = ['semaphore:', 'semaphore.queue:', 'semaphore.seen:', 'semaphore.ticket:', 'semaphore.event:'].map((p) => ks.key(p));
    this.key = keys[0];
    this.keys = keys;
    const kinds = ['zset', 'zset', 'zset', 'string', 'stream'];
    this.#spec = { keys, types: Object.fromEntries(keys.map((k, i) => [k, kinds[i]])), limit, ttl: this.ttl, eventTtl };
  }

  /**
   * Takes a permit: resolves it, or `null` when none is free (`block: false`, `timeout: 0`) or the timeout
   * ran out. Waiters are served in arrival order; a caller trying once never jumps the queue. Aborting
   * `signal` rejects with its reason and removes the caller from the queue. One round trip when a permit is free.
   */
  async acquire(o?: AcquireOptions): Promise<Permit | null> {
    const started = performance.now();
    const { waitMs, signal } = parseAcquire(o);
    signal?.throwIfAborted();
    const token = randomUUID();
    const { keys, types, limit, ttl, eventTtl } = this.#spec;
    if (waitMs === 0) {
      const sentAt = performance.now();
      const [granted] = await semaphoreAcquire.run(this.db, keys, [limit, ttl, STALE_MS, '0', eventTtl, token], { types });
      if (granted.length === 0) return null;
      if (signal?.aborted) {
        await this.#release(token).catch(() => {});
        throw signal.reason;
      }
      return this.#permit(token, sentAt);
    }
    const sentAt = await SemaphoreQueue.for(this.db, this.#spec).wait(token, started + waitMs, signal);
    return sentAt === null ? null : this.#permit(token, sentAt);
  }

  /** Number of permits held now (expired ones excluded, by the server's clock). One round trip. */
  async count(): Promise<number> {
    return semaphoreCount.run(this.db, [this.key], [], { types: { [this.key]: 'zset' } });
  }

  /**
   * Runs `fn` holding a permit and gives it back afterwards, also when `fn` throws. Throws `LockTimeoutError`
   * when no permit could be had in time, `LockNotOwnedError` when the permit expired before `fn` finished.
   */
  async withPermit<T>(fn: (permit: Permit) => Promise<T> | T, o?: AcquireOptions): Promise<T> {
    const started = performance.now();
    const permit = await this.acquire(o);
    if (!permit) throw new LockTimeoutError(this.name, Math.round(performance.now() - started));
    let result: T;
    try {
      result = await fn(permit);
    } catch (err) {
      await permit.release().catch(() => {});
      throw err;
    }
    await permit.release();
    return result;
  }

  async #release(token: string): Promise<boolean> {
    const { keys, types, limit, eventTtl } = this.#spec;
    return (await semaphoreRelease.run(this.db, keys, [limit, STALE_MS, eventTtl, token], { types })) === 1;
  }

  #permit(token: string, sentAt: number): Permit {
    const { keys, types } = this.#spec;
    return new Hold(
      this.name,
      token,
      {
        release: () => this.#release(token),
        extend: async (ms) => (await semaphoreExtend.run(this.db, keys, [ms, STALE_MS, token], { types })) === 1,
      },
      { ttl: this.ttl, every: this.#every, sentAt },
    );
  }
}
