import { closeClient, quietErrors, type AnyClient } from './driver';

interface Waiter {
  resolve: (c: AnyClient) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A lazy pool of duplicate connections for blocking commands. Callers beyond `max` queue FIFO; a connection
 * whose caller aborts is destroyed (the only way to cut a blocking command short) and replaced on demand.
 */
export class BlockingPool {
  readonly #idle: AnyClient[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #all = new Set<AnyClient>();
  #closed = false;

  constructor(
    readonly source: AnyClient,
    readonly max: number,
  ) {}

  async acquire(signal?: AbortSignal): Promise<AnyClient> {
    if (this.#closed) throw new Error('the handle is closed');
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#all.size < this.max) return this.#open();
    return new Promise<AnyClient>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.#waiters.indexOf(waiter);
          if (i !== -1) this.#waiters.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
    });
  }

  release(c: AnyClient): void {
    if (!this.#all.has(c)) return;
    if (this.#closed || !c.isOpen) {
      this.discard(c);
      return;
    }
    const next = this.#waiters.shift();
    if (next) {
      if (next.onAbort) next.signal!.removeEventListener('abort', next.onAbort);
      next.resolve(c);
    } else this.#idle.push(c);
  }

  /** Destroys a connection (used when its caller aborts) and serves the next waiter with a fresh one. */
  discard(c: AnyClient): void {
    if (!this.#all.delete(c)) return;
    const i = this.#idle.indexOf(c);
    if (i !== -1) this.#idle.splice(i, 1);
    try {
      c.destroy();
    } catch {
      /* already closed */
    }
    const next = this.#waiters.shift();
    if (next && !this.#closed) {
      if (next.onAbort) next.signal!.removeEventListener('abort', next.onAbort);
      this.#open().then(next.resolve, next.reject);
    }
  }

  async #open(): Promise<AnyClient> {
    const c = this.source.duplicate() as AnyClient;
    quietErrors(c);
    this.#all.add(c);
    try {
      await c.connect();
    } catch (err) {
      this.#all.delete(c);
      throw err;
    }
    return c;
  }

  /** Number of connections this pool has open. */
  get size(): number {
    return this.#all.size;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.reject(new Error('the handle was closed'));
    const idle = new Set(this.#idle);
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    // Idle connections close gracefully; busy ones are inside a blocking command and would hold close() until it ends.
    await Promise.all(all.map((c) => (idle.has(c) ? closeClient(c) : Promise.resolve(c.destroy()))));
  }
}
