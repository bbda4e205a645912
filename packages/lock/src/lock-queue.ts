import type { Walrus } from '@walrus/core';
import { lockWake } from './lua/lock-wake';

/** What a waiting acquire brings to the queue. */
export interface LockWaiterSpec {
  /** Runs the acquire script for this waiter: `[1, fence]` or `[0, holder PTTL]`. */
  attempt(): Promise<[number, number]>;
  /** Gives back a hold won by an attempt that was in flight when the waiter left. */
  giveBack(fence: number): Promise<unknown>;
  /** The TTL this waiter acquires with (ms; `null`: none). */
  ttl: number | null;
  /** `performance.now()` deadline (`Infinity`: none). */
  deadline: number;
  signal?: AbortSignal;
}

/** A won wait: the fence and when the winning command was sent. */
export interface LockWin {
  fence: number;
  sentAt: number;
}

interface Waiter extends LockWaiterSpec {
  state: 'queued' | 'attempting' | 'done';
  /** Set when the waiter left while its attempt was in flight. */
  left: boolean;
  resolve(v: LockWin | null): void;
  reject(e: unknown): void;
  cleanup(): void;
}

const registry = new WeakMap<Walrus, Map<string, LockQueue>>();
const MIN_POLL_MS = 1000;
// Longest BLPOP: waits for other locks may be queued for one of the handle's blocking connections.
const MAX_BLOCK_MS = 5000;

/**
 * The waiters of one lock in this process. They share one loop and one BLPOP on the lock's event list: the
 * head of the (FIFO) queue runs the acquire script; when it fails, the loop blocks on the event list until a
 * release pushes a wake-up. While the holder has a TTL, a timer fires when it runs out and, if the lock is
 * indeed free, pushes the wake-up itself (Redis checks its blocking timeouts only every 100 ms, so the BLPOP
 * timeout is merely a backstop: the holder's PTTL plus 1 s, or 1 s when the holder has no TTL, at most 5 s so
 * that the handle's blocking connections keep cycling when more locks are waited on than it has connections).
 */
export class LockQueue {
  readonly #waiters: Waiter[] = [];
  #running = false;
  #blocking?: AbortController;

  private constructor(
    readonly db: Walrus,
    readonly key: string,
    readonly eventKey: string,
    readonly eventTtl: number,
  ) {}

  /** The queue of `key` on `db`, if any waiter is in it. */
  static existing(db: Walrus, key: string): LockQueue | undefined {
    return registry.get(db)?.get(key);
  }

  /** The queue of `key` on `db`, made on first use. */
  static for(db: Walrus, key: string, eventKey: string, eventTtl: number): LockQueue {
    let byKey = registry.get(db);
    if (!byKey) registry.set(db, (byKey = new Map()));
    let q = byKey.get(key);
    if (!q) byKey.set(key, (q = new LockQueue(db, key, eventKey, eventTtl)));
    return q;
  }

  /** Number of waiters. */
  get size(): number {
    return this.#waiters.length;
  }

  /**
   * Waits for the lock: resolves the win, or `null` at the deadline; rejects with `signal.reason` on abort.
   * `knownPttl` is the holder's PTTL from an attempt just made, so the loop can block at once.
   */
  wait(spec: LockWaiterSpec, knownPttl?: number): Promise<LockWin | null> {
    return new Promise<LockWin | null>((resolve, reject) => {
      const w: Waiter = { ...spec, state: 'queued', left: false, resolve, reject, cleanup: () => {} };
      const onAbort = () => this.#leave(w, () => reject(spec.signal!.reason));
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      // At the deadline a waiter whose attempt is in flight lets that attempt decide (the loop checks the
      // deadline after it), so a timeout never has a hold to give back.
      const expire = () => {
        if (w.state === 'queued') this.#leave(w, () => resolve(null));
      };
      const timer = Number.isFinite(spec.deadline) ? setTimeout(expire, Math.max(0, spec.deadline - performance.now())) : undefined;
      w.cleanup = () => {
        clearTimeout(timer);
        spec.signal?.removeEventListener('abort', onAbort);
      };
      this.#waiters.push(w);
      if (!this.#running) void this.#run(knownPttl);
    });
  }

  #remove(w: Waiter): void {
    const i = this.#waiters.indexOf(w);
    if (i !== -1) this.#waiters.splice(i, 1);
  }

  #settle(w: Waiter, settle: () => void): void {
    if (w.state === 'done') return;
    w.state = 'done';
    w.cleanup();
    this.#remove(w);
    settle();
  }

  // A waiter leaves (deadline, abort). When it was the last one, the shared BLPOP is cut short (its connection
  // is destroyed) and, since that BLPOP may have consumed a wake-up meant for someone, the wake-up is passed on.
  #leave(w: Waiter, settle: () => void): void {
    if (w.state === 'done') return;
    w.left = w.state === 'attempting';
    this.#settle(w, settle);
    if (this.#waiters.length === 0 && this.#blocking) {
      this.#blocking.abort();
      this.#wake();
    }
  }

  #wake(): Promise<number | void> {
    return lockWake.run(this.db, [this.key, this.eventKey], [this.eventTtl]).catch(() => {});
  }

  async #run(knownPttl?: number): Promise<void> {
    this.#running = true;
    let pttl = knownPttl;
    try {
      while (this.#waiters.length > 0) {
        if (pttl === undefined) {
          const w = this.#waiters[0];
          w.state = 'attempting';
          const sentAt = performance.now();
          let reply: [number, number];
          try {
            reply = await w.attempt();
          } catch (err) {
            this.#settle(w, () => w.reject(err));
            continue;
          }
          const [won, value] = reply;
          if (w.left) {
            if (won === 1) await w.giveBack(value).catch(() => {});
            continue;
          }
          if (won === 1) {
            this.#settle(w, () => w.resolve({ fence: value, sentAt }));
            // The next local waiter would only learn that the lock is held for the winner's TTL: skip asking.
            pttl = w.ttl ?? -1;
            continue;
          }
          w.state = 'queued';
          if (w.deadline <= performance.now()) {
            this.#settle(w, () => w.resolve(null));
            continue;
          }
          pttl = value;
        }
        if (this.#waiters.length === 0) break;
        await this.#block(pttl);
        pttl = undefined;
      }
    } finally {
      this.#running = false;
      const byKey = registry.get(this.db);
      if (byKey?.get(this.key) === this && this.#waiters.length === 0) byKey.delete(this.key);
    }
  }

  async #block(pttl: number): Promise<void> {
    const ctrl = new AbortController();
    this.#blocking = ctrl;
    let expiry: NodeJS.Timeout | undefined;
    let done = false;
    const arm = (ms: number) => {
      expiry = setTimeout(async () => {
        const left = await this.#wake();
        if (!done && typeof left === 'number' && left >= 0) arm(left + 1);
      }, ms);
    };
    if (pttl > 0) arm(pttl + 1);
    const seconds = (Math.min(pttl > 0 ? pttl + MIN_POLL_MS : MIN_POLL_MS, MAX_BLOCK_MS) / 1000).toFixed(3);
    let popped: unknown = null;
    try {
      popped = await this.db.blocking((c) => c.command(['BLPOP', this.eventKey, seconds], { key: this.eventKey }), { signal: ctrl.signal });
    } catch {
      // Aborted (nobody waits any more) or connection trouble: the loop decides; pause briefly on trouble.
      if (!ctrl.signal.aborted) await new Promise((r) => setTimeout(r, 50));
    } finally {
      done = true;
      clearTimeout(expiry);
      if (this.#blocking === ctrl) this.#blocking = undefined;
    }
    // A wake-up popped after every waiter left belongs to another process's waiter: pass it on.
    if (popped && this.#waiters.length === 0) await this.#wake();
  }
}
