/**
 * A running listener on a connection of its own (pub/sub or MONITOR). `unsubscribe()` (or `await using`, or the
 * `signal` given when it was made) stops it and closes the connection.
 */
export class Subscription implements AsyncDisposable {
  #stop: (() => Promise<void>) | undefined;
  #stopping: Promise<void> | undefined;

  /** @internal */
  constructor(stop: () => Promise<void>) {
    this.#stop = stop;
  }

  /** True until `unsubscribe()` ran. */
  get active(): boolean {
    return this.#stop !== undefined;
  }

  /** Stops listening and closes the connection. Calling it again does nothing. */
  unsubscribe(): Promise<void> {
    const stop = this.#stop;
    this.#stop = undefined;
    this.#stopping ??= stop ? stop() : Promise.resolve();
    return this.#stopping;
  }

  /** Same as {@link Subscription.unsubscribe}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.unsubscribe();
  }
}

/**
 * Calls a listener and rethrows what it throws (or rejects with) on a fresh microtask, outside the connection's
 * event handler: an uncaught exception, as for an EventEmitter `error` without a handler.
 */
export function callHandler<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
  const rethrow = (err: unknown) =>
    queueMicrotask(() => {
      throw err;
    });
  try {
    const r = fn(...args);
    if (r && typeof (r as PromiseLike<unknown>).then === 'function') (r as Promise<unknown>).then(undefined, rethrow);
  } catch (err) {
    rethrow(err);
  }
}

/** Closes a connection, destroying it if a graceful close fails. */
export async function closeQuietly(c: { close(): Promise<unknown>; destroy(): unknown }): Promise<void> {
  try {
    await c.close();
  } catch {
    try {
      c.destroy();
    } catch {
      /* already closed */
    }
  }
}
