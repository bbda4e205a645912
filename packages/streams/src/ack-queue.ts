import type { Id } from './id';

/**
 * Acknowledgements waiting to be sent, per stream key. The consumer loop sends them with its next read (same
 * connection, one round trip) and puts them back when that send fails, so an ack is never dropped.
 */
export class AckQueue {
  readonly #ids = new Map<string, Id[]>();

  /** Queues one id of `key`. */
  add(key: string, id: Id): void {
    const list = this.#ids.get(key);
    if (list) list.push(id);
    else this.#ids.set(key, [id]);
  }

  /** Number of queued ids. */
  get size(): number {
    let n = 0;
    for (const list of this.#ids.values()) n += list.length;
    return n;
  }

  /** Removes and returns the queued ids of `keys` (default: all keys). */
  take(keys?: readonly string[]): Map<string, Id[]> {
    const out = new Map<string, Id[]>();
    for (const key of keys ?? [...this.#ids.keys()]) {
      const list = this.#ids.get(key);
      if (list?.length) out.set(key, list);
      this.#ids.delete(key);
    }
    return out;
  }

  /** Puts back ids whose send failed (re-acking is harmless: XACK of an acked id counts 0). */
  restore(taken: Map<string, Id[]>): void {
    for (const [key, ids] of taken) for (const id of ids) this.add(key, id);
  }
}
