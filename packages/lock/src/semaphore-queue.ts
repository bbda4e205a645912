import type { Walrus } from '@walrus/core';
import { semaphoreAcquire } from './lua/semaphore-acquire';
import { semaphoreLeave } from './lua/semaphore-leave';

/** How long a waiter may go without asking before other processes drop it from the queue. */
export const STALE_MS = 3000;
/** How often a waiting process re-asks (keeps its waiters seen, and backs up the event stream). */
export const REFRESH_MS = 1000;
/** XREAD BLOCK timeout: after its last waiter is served, a process keeps reading this long for new waiters. */
const READ_BLOCK_MS = 5000;

/** The fixed parameters of one semaphore, as its scripts take them. */
export interface SemaphoreSpec {
  keys: string[];
  types: Record<string, string>;
  limit: number;
  ttl: number;
  eventTtl: number;
}

interface Waiter {
  token: string;
  resolve(sentAt: number | null): void;
  reject(e: unknown): void;
  cleanup(): void;
}

const registry = new WeakMap<Walrus, Map<string, SemaphoreQueue>>();

/** Compares stream ids `ms-seq`. */
function newer(a: string, b: string): string {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return bm > am || (bm === am && bs > as) ? b : a;
}

/** The entries of an XREAD reply for one stream (RESP2 `[[key, entries]]` or flattened RESP3 `[key, entries]`). */
function entriesOf(reply: unknown): [string, string[]][] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const entries = Array.isArray(reply[0]) ? (reply[0] as unknown[])[1] : reply[1];
  return Array.isArray(entries) ? (entries as [string, string[]][]) : [];
}

/**
 * The waiters of one semaphore in this process. One attempt script serves all of them at once (tokens in
 * arrival order); a single XREAD BLOCK on the event stream wakes the process as soon as a release (or a
 * departure) names one of its tokens as eligible; a timer re-asks when the first holder's permit runs out and
 * at least every second, which keeps the waiters from being dropped as stale. When the last waiter is served
 * the XREAD is left to finish (at most 5 s) so the next waiters reuse it; when the last one gives up (timeout,
 * abort) its connection is closed at once.
 */
export class SemaphoreQueue {
  readonly #waiters = new Map<string, Waiter>();
  #attempting = false;
  #again = false;
  #timer?: NodeJS.Timeout;
  #reading = false;
  #readCtrl?: AbortController;
  #lastId = '0-0';

  private constructor(
    readonly db: Walrus,
    readonly spec: SemaphoreSpec,
  ) {}

  /** The queue of this semaphore on `db`, made on first use. */
  static for(db: Walrus, spec: SemaphoreSpec): SemaphoreQueue {
    const id = `${spec.keys[0]}\u0000${spec.limit}\u0000${spec.ttl}`;
    let byKey = registry.get(db);
    if (!byKey) registry.set(db, (byKey = new Map()));
    let q = byKey.get(id);
    if (!q) byKey.set(id, (q = new SemaphoreQueue(db, spec)));
    return q;
  }

  /** Waits for a permit for `token`: resolves when the grant's command was sent, `null` at the deadline. */
  wait(token: string, deadline: number, signal?: AbortSignal): Promise<number | null> {
    return new Promise<number | null>((resolve, reject) => {
      const w: Waiter = { token, resolve, reject, cleanup: () => {} };
      // An abort rejects at once (its clean-up runs on); a timeout resolves once its clean-up is done.
      const onAbort = () => void this.#leave(w, () => reject(signal!.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      const expire = async () => {
        if (await this.#leave(w, () => {})) resolve(null);
      };
      const timer = Number.isFinite(deadline) ? setTimeout(expire, Math.max(0, deadline - performance.now())) : undefined;
      w.cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.#waiters.set(token, w);
      void this.#attempt();
    });
  }

  #settle(w: Waiter, settle: () => void): boolean {
    if (this.#waiters.get(w.token) !== w) return false;
    this.#waiters.delete(w.token);
    w.cleanup();
    settle();
    if (this.#waiters.size === 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      if (!this.#reading) this.#unregister();
    }
    return true;
  }

  // The leave script is sent at once, so it runs after any attempt already in flight: a permit that attempt
  // grants to the departing token is given back, and waiters it makes eligible are announced. Resolves false
  // when the waiter had already been settled, else once the script is done (or failed).
  async #leave(w: Waiter, settle: () => void): Promise<boolean> {
    if (!this.#settle(w, settle)) return false;
    if (this.#waiters.size === 0) this.#readCtrl?.abort();
    const { keys, types, limit, eventTtl } = this.spec;
    await semaphoreLeave.run(this.db, keys, [limit, STALE_MS, eventTtl, w.token], { types }).catch(() => {});
    return true;
  }

  #unregister(): void {
    const byKey = registry.get(this.db);
    for (const [id, q] of byKey ?? []) if (q === this) byKey!.delete(id);
  }

  async #attempt(): Promise<void> {
    if (this.#attempting) {
      this.#again = true;
      return;
    }
    this.#attempting = true;
    try {
      do {
        this.#again = false;
        const batch = [...this.#waiters.values()];
        if (batch.length === 0) break;
        const { keys, types, limit, ttl, eventTtl } = this.spec;
        const sentAt = performance.now();
        let reply: [string[], number, string];
        try {
          reply = await semaphoreAcquire.run(this.db, keys, [limit, ttl, STALE_MS, '1', eventTtl, ...batch.map((w) => w.token)], { types });
        } catch (err) {
          for (const w of batch) void this.#leave(w, () => w.reject(err));
          continue;
        }
        const [granted, wait, id] = reply;
        this.#lastId = newer(this.#lastId, String(id));
        for (const token of granted) {
          const w = this.#waiters.get(String(token));
          if (w) this.#settle(w, () => w.resolve(sentAt));
        }
        if (this.#waiters.size > 0) {
          clearTimeout(this.#timer);
          const delay = Math.min(Number(wait) >= 0 ? Number(wait) + 1 : REFRESH_MS, REFRESH_MS);
          this.#timer = setTimeout(() => void this.#attempt(), delay);
        }
      } while (this.#again);
    } finally {
      this.#attempting = false;
    }
    if (this.#waiters.size > 0) void this.#read();
  }

  async #read(): Promise<void> {
    if (this.#reading) return;
    this.#reading = true;
    try {
      while (this.#waiters.size > 0) {
        const ctrl = new AbortController();
        this.#readCtrl = ctrl;
        const eventKey = this.spec.keys[4];
        let reply: unknown;
        try {
          reply = await this.db.blocking((c) => c.command(['XREAD', 'BLOCK', String(READ_BLOCK_MS), 'STREAMS', eventKey, this.#lastId], { key: eventKey }), { signal: ctrl.signal });
        } catch {
          if (!ctrl.signal.aborted) await new Promise((r) => setTimeout(r, 50));
          continue;
        } finally {
          if (this.#readCtrl === ctrl) this.#readCtrl = undefined;
        }
        let named = false;
        for (const [id, fields] of entriesOf(reply)) {
          this.#lastId = newer(this.#lastId, String(id));
          for (let i = 0; i + 1 < fields.length; i += 2)
            if (String(fields[i]) === 'grant' && String(fields[i + 1]).split(' ').some((t) => this.#waiters.has(t))) named = true;
        }
        if (named) void this.#attempt();
      }
    } finally {
      this.#reading = false;
      if (this.#waiters.size === 0) this.#unregister();
    }
  }
}
