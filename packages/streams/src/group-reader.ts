import type { Arg, BlockingConnection, Reply, Walrus } from '@walrus/core';
import type { AckQueue } from './ack-queue';
import { parseEntries, parseStreamsReply, plainEntry, type Entry } from './entry';
import { translateStreamError } from './errors';
import type { Id } from './id';

/** Stream keys of a group that share one cluster slot (all of them on a single server): one XREADGROUP reads them. */
export interface SlotGroup {
  readonly keys: readonly string[];
}

/** What one read returned for one stream. */
export interface RawBatch {
  readonly key: string;
  readonly entries: Entry[];
  /** Pending ids whose entries were deleted (history reads only). */
  readonly deleted: Id[];
}

/** Options of {@link GroupReader.read}. */
export interface ReaderReadOptions {
  /** `>` or an id (re-read own pending entries after it). */
  lastId: Id;
  count?: number;
  /** The BLOCK argument: `undefined` = no wait, `0` = forever, else ms. */
  block?: number;
  noAck?: boolean;
  signal?: AbortSignal;
  /** Give up waiting after this long even if reads are still blocked (they stay in flight). */
  waitMs?: number;
  /** Acknowledgements to send along with the reads. */
  acks?: AckQueue;
}

interface InFlight {
  readonly done: Promise<void>;
  readonly ctrl: AbortController;
  /** When Redis ends the read by itself (BLOCK elapsed), by the client clock. */
  readonly until: number;
}

const TIMEOUT = Symbol('timeout');

/**
 * Reads a consumer group across its streams with one XREADGROUP per slot group. Blocking reads run on dedicated
 * connections, one per slot group; the first non-empty reply resolves `read()`, and replies that arrive later are
 * buffered for the next `read()` (their entries are already in the pending list, so nothing is lost).
 */
export class GroupReader {
  readonly #buffer: RawBatch[] = [];
  readonly #inflight = new Map<SlotGroup, InFlight>();
  readonly #order: Map<string, number>;
  #failure: { error: unknown } | undefined;

  constructor(
    readonly db: Walrus,
    readonly group: string,
    readonly consumer: string,
    readonly slots: readonly SlotGroup[],
  ) {
    this.#order = new Map(slots.flatMap((s) => s.keys).map((k, i) => [k, i]));
  }

  /** Reads once across every slot group (see the class comment for blocking reads). */
  async read(o: ReaderReadOptions): Promise<RawBatch[]> {
    o.signal?.throwIfAborted();
    this.#throwFailure();
    if (this.#buffer.length) {
      if (o.acks?.size) await this.#ackNow(o.acks.take(), o.acks);
      return this.#drain();
    }
    if (o.block === undefined) {
      await Promise.all(this.slots.map((slot) => this.#readNow(slot, o)));
      return this.#drain();
    }
    const idle = this.slots.filter((slot) => !this.#inflight.has(slot));
    const busyKeys = this.slots.filter((slot) => this.#inflight.has(slot)).flatMap((s) => s.keys);
    const acked = o.acks && busyKeys.length ? this.#ackNow(o.acks.take(busyKeys), o.acks) : undefined;
    for (const slot of idle) this.#start(slot, o);
    await this.#wait(o);
    await acked;
    this.#throwFailure();
    return this.#drain();
  }

  /**
   * Aborts every blocked read (their connections are destroyed), waits until they have settled (acknowledgements they
   * carried are back in their queue unless confirmed) and forgets buffered replies.
   */
  async reset(): Promise<void> {
    const settling = [...this.#inflight.values()].map((f) => {
      f.ctrl.abort();
      return f.done;
    });
    this.#inflight.clear();
    await Promise.all(settling);
    this.#buffer.length = 0;
    this.#failure = undefined;
  }

  #args(slot: SlotGroup, o: ReaderReadOptions): Arg[] {
    const args: Arg[] = ['XREADGROUP', 'GROUP', this.group, this.consumer];
    if (o.count !== undefined) args.push('COUNT', String(o.count));
    if (o.block !== undefined) args.push('BLOCK', String(o.block));
    if (o.noAck) args.push('NOACK');
    args.push('STREAMS', ...slot.keys, ...slot.keys.map(() => o.lastId));
    return args;
  }

  #push(reply: Reply): void {
    for (const [key, entries] of parseStreamsReply(reply)) {
      const { entries: list, deleted } = parseEntries(entries, plainEntry);
      if (list.length || deleted.length) this.#buffer.push({ key, entries: list, deleted });
    }
  }

  #drain(): RawBatch[] {
    const merged = new Map<string, { key: string; entries: Entry[]; deleted: Id[] }>();
    for (const b of this.#buffer.splice(0)) {
      const m = merged.get(b.key);
      if (m) {
        m.entries.push(...b.entries);
        m.deleted.push(...b.deleted);
      } else merged.set(b.key, { key: b.key, entries: [...b.entries], deleted: [...b.deleted] });
    }
    return [...merged.values()].sort((a, b) => (this.#order.get(a.key) ?? 0) - (this.#order.get(b.key) ?? 0));
  }

  #throwFailure(): void {
    const f = this.#failure;
    if (!f) return;
    this.#failure = undefined;
    throw f.error;
  }

  #translate(err: unknown, slot: SlotGroup): Promise<unknown> {
    return translateStreamError(this.db, err, { key: slot.keys[0], keys: slot.keys, group: this.group });
  }

  /** Sends acks on `send` without waiting; puts them back if they fail. */
  #sendAcks(send: (args: Arg[], key: string) => Promise<unknown>, taken: Map<string, Id[]>, queue: AckQueue | undefined): Promise<void> {
    const sent = [...taken].map(([key, ids]) => send(['XACK', key, this.group, ...ids], key));
    return Promise.all(sent).then(
      () => undefined,
      (err: unknown) => {
        queue?.restore(taken);
        throw err;
      },
    );
  }

  #ackNow(taken: Map<string, Id[]>, queue: AckQueue): Promise<void> {
    if (taken.size === 0) return Promise.resolve();
    return this.#sendAcks((args, key) => this.db.command(args, { key }), taken, queue);
  }

  /** A non-blocking read on the shared connection, its acks pipelined before it. */
  async #readNow(slot: SlotGroup, o: ReaderReadOptions): Promise<void> {
    const acks = o.acks ? this.#sendAcks((args, key) => this.db.command(args, { key }), o.acks.take(slot.keys), o.acks) : undefined;
    acks?.catch(() => {});
    try {
      const reply = await this.db.command(this.#args(slot, o), { key: slot.keys[0] });
      await acks;
      this.#push(reply);
    } catch (err) {
      throw await this.#translate(err, slot);
    }
  }

  /** Starts a blocking read of one slot group on a dedicated connection, its acks pipelined before it. */
  #start(slot: SlotGroup, o: ReaderReadOptions): void {
    const ctrl = new AbortController();
    const onAbort = () => ctrl.abort(o.signal?.reason);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const taken = o.acks?.take(slot.keys) ?? new Map<string, Id[]>();
    let acked = taken.size === 0;
    const args = this.#args(slot, o);
    const work = async (c: BlockingConnection) => {
      const acks = this.#sendAcks((a, key) => c.command(a, { key }), taken, undefined).then(() => {
        acked = true;
      });
      acks.catch(() => {});
      const reply = await c.command(args, { key: slot.keys[0] });
      await acks;
      return reply;
    };
    const done = this.db
      .blocking(work, { signal: ctrl.signal })
      .then(
        (reply) => this.#push(reply),
        async (err: unknown) => {
          if (!acked) o.acks?.restore(taken);
          if (!ctrl.signal.aborted) this.#failure ??= { error: await this.#translate(err, slot) };
        },
      )
      .finally(() => {
        o.signal?.removeEventListener('abort', onAbort);
        if (this.#inflight.get(slot)?.done === done) this.#inflight.delete(slot);
      });
    this.#inflight.set(slot, { done, ctrl, until: o.block ? Date.now() + o.block : Infinity });
  }

  async #wait(o: ReaderReadOptions): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    // No timer when every read in flight ends by itself before `waitMs` (the usual case: all started just now).
    const deadline = o.waitMs !== undefined && o.waitMs > 0 ? Date.now() + o.waitMs : Infinity;
    const needTimer = [...this.#inflight.values()].some((f) => f.until > deadline);
    const stop = new Promise<typeof TIMEOUT>((resolve) => {
      if (needTimer) timer = setTimeout(() => resolve(TIMEOUT), o.waitMs);
      onAbort = () => resolve(TIMEOUT);
      o.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      while (!this.#buffer.length && !this.#failure && this.#inflight.size) {
        const r = await Promise.race([stop, ...[...this.#inflight.values()].map((f) => f.done)]);
        if (r === TIMEOUT) break;
      }
    } finally {
      clearTimeout(timer);
      if (onAbort) o.signal?.removeEventListener('abort', onAbort);
    }
    o.signal?.throwIfAborted();
  }
}
