/**
 * Per-process single-flight: the first caller for a key starts the work, later callers for the same key join it
 * until it settles. Flights are shared by every Cache on the same connection (keyed by client), since their keys
 * carry the handle's prefix.
 */
export class SingleFlight<V> {
  readonly #byClient = new WeakMap<object, Map<string, Promise<V>>>();

  /** The running flight for `key`, or a new one started with `work`. `leader` tells which. */
  join(client: object, key: string, work: () => Promise<V>): { promise: Promise<V>; leader: boolean } {
    let flights = this.#byClient.get(client);
    if (!flights) this.#byClient.set(client, (flights = new Map()));
    const running = flights.get(key);
    if (running) return { promise: running, leader: false };
    const promise = work();
    flights.set(key, promise);
    const done = () => {
      if (flights.get(key) === promise) flights.delete(key);
    };
    promise.then(done, done);
    return { promise, leader: true };
  }

  /** True while a flight for `key` runs. */
  running(client: object, key: string): boolean {
    return this.#byClient.get(client)?.has(key) ?? false;
  }
}

/** Waits for `p`, or rejects with `signal.reason` as soon as `signal` aborts (`p` goes on for others). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}
