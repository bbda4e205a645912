import { InvalidArgumentError, LockNotOwnedError, type Duration } from '@walrus/core';
import { parseTtl } from './options';

/**
 * A hold on a lock, from {@link Lock.acquire}. `await using lease = await lock.acquire()` releases it at the
 * end of the scope (a `null` result needs no disposal).
 */
export interface Lease extends AsyncDisposable {
  /** The owner token stored in Redis while the lease is held. */
  readonly token: string;
  /**
   * The fencing token: strictly greater than every fence handed out before for this lock name. Pass it to
   * the store you write under the lock and have the store refuse writes with a smaller fence than it has seen.
   */
  readonly fence: number;
  /**
   * Aborts when the lease ends: released (reason: an `AbortError` DOMException), found lost on an extension,
   * or past its TTL without a successful extension (reason: `LockNotOwnedError`). Pass it to the work done
   * under the lock.
   */
  readonly signal: AbortSignal;
  /** Releases the lease; `LockNotOwnedError` if it was no longer held (expired, cleared) or already released. */
  release(): Promise<void>;
  /** Resets the remaining time to `ttl` (default: the lock's TTL); `LockNotOwnedError` if no longer held. */
  extend(ttl?: Duration): Promise<void>;
}

/** A permit of a {@link Semaphore}: a {@link Lease} without a fence. */
export type Permit = Omit<Lease, 'fence'>;

/** What a held lease does against Redis; each call answers "was it still held?". */
export interface LeaseOps {
  release(): Promise<boolean>;
  extend(ttlMs: number): Promise<boolean>;
}

/** Settings of a held lease. */
export interface HoldOptions {
  /** The TTL in ms it was acquired with (`null`: none). */
  ttl: number | null;
  /** Auto-extend period in ms (`null`: off). */
  every: number | null;
  /** `performance.now()` just before the acquiring command was sent: the TTL runs from no earlier than this. */
  sentAt: number;
  /** Called once when the lease ends (released or found lost). */
  onEnd?: () => void;
}

type State = 'held' | 'released' | 'lost';

/**
 * The implementation of {@link Permit} (and, with a fence, of {@link Lease}): keeps the signal, the expiry
 * estimate and the auto-extend timer of one hold.
 */
export class Hold implements Permit {
  readonly token: string;
  readonly signal: AbortSignal;
  readonly #ctrl = new AbortController();
  readonly #name: string;
  readonly #ops: LeaseOps;
  readonly #ttl: number | null;
  readonly #every: number | null;
  readonly #onEnd?: () => void;
  #state: State = 'held';
  #expiry?: NodeJS.Timeout;
  #tick?: NodeJS.Timeout;

  constructor(name: string, token: string, ops: LeaseOps, o: HoldOptions) {
    this.#name = name;
    this.token = token;
    this.signal = this.#ctrl.signal;
    this.#ops = ops;
    this.#ttl = o.ttl;
    this.#every = o.every;
    this.#onEnd = o.onEnd;
    if (o.ttl !== null) this.#arm(o.sentAt, o.ttl);
    this.#schedule();
  }

  /** True while neither released nor known to be lost. */
  get held(): boolean {
    return this.#state === 'held';
  }

  async release(): Promise<void> {
    if (this.#state !== 'held') throw new LockNotOwnedError(this.#name);
    this.#stopTick();
    const ok = await this.#ops.release();
    if (this.#state !== 'held') throw new LockNotOwnedError(this.#name);
    if (!ok) {
      this.#end('lost', new LockNotOwnedError(this.#name));
      throw new LockNotOwnedError(this.#name);
    }
    this.#end('released', new DOMException(`lock "${this.#name}" was released`, 'AbortError'));
  }

  async extend(ttl?: Duration): Promise<void> {
    const ms = ttl === undefined ? this.#ttl : parseTtl(ttl, 'ttl', false);
    if (ms === null) throw new InvalidArgumentError('extend() needs a ttl: this lock was made without one', { field: 'ttl', value: ttl });
    if (this.#state !== 'held') throw new LockNotOwnedError(this.#name);
    const sentAt = performance.now();
    const ok = await this.#ops.extend(ms);
    if (this.#state !== 'held') throw new LockNotOwnedError(this.#name);
    if (!ok) {
      this.#end('lost', new LockNotOwnedError(this.#name));
      throw new LockNotOwnedError(this.#name);
    }
    this.#arm(sentAt, ms);
  }

  /** Releases the lease unless already released; throws `LockNotOwnedError` if it was lost. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state !== 'released') await this.release();
  }

  /** Marks the lease lost without asking Redis (after `Lock.clear()` by its own lock). */
  lose(): void {
    if (this.#state === 'held') this.#end('lost', new LockNotOwnedError(this.#name));
  }

  // The server's TTL started after `sentAt`, so `sentAt + ttl` is a safe (early) estimate of the expiry.
  #arm(sentAt: number, ttl: number): void {
    clearTimeout(this.#expiry);
    const left = Math.max(0, sentAt + ttl - performance.now());
    this.#expiry = setTimeout(() => {
      if (this.#state === 'held' && !this.signal.aborted) this.#ctrl.abort(new LockNotOwnedError(this.#name));
    }, left);
    this.#expiry.unref();
  }

  #schedule(): void {
    if (this.#every === null || this.#ttl === null || this.#state !== 'held') return;
    const ttl = this.#ttl;
    this.#tick = setTimeout(async () => {
      this.#tick = undefined;
      if (this.#state !== 'held') return;
      const sentAt = performance.now();
      let ok: boolean;
      try {
        ok = await this.#ops.extend(ttl);
      } catch {
        // Connection trouble: try again next period; the expiry estimate aborts the signal if it lasts.
        this.#schedule();
        return;
      }
      if (this.#state !== 'held') return;
      if (!ok) {
        this.#end('lost', new LockNotOwnedError(this.#name));
        return;
      }
      this.#arm(sentAt, ttl);
      this.#schedule();
    }, this.#every);
    this.#tick.unref();
  }

  #stopTick(): void {
    clearTimeout(this.#tick);
    this.#tick = undefined;
  }

  #end(state: State, reason: unknown): void {
    this.#state = state;
    this.#stopTick();
    clearTimeout(this.#expiry);
    if (!this.signal.aborted) this.#ctrl.abort(reason);
    this.#onEnd?.();
  }
}

/** A lock's lease: a {@link Hold} with its fencing token. */
export class LockLease extends Hold implements Lease {
  constructor(
    name: string,
    token: string,
    readonly fence: number,
    ops: LeaseOps,
    o: HoldOptions,
  ) {
    super(name, token, ops, o);
  }
}
