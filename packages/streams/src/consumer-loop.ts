import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, ScriptError, Script, keySlot, toMs, type Duration, type Reply, type Walrus } from '@walrus/core';
import { AckQueue } from './ack-queue';
import { ConsumedMessage, type MessageOwner } from './consumed-message';
import { fieldsToObject, parseEntries, plainEntry, type Entry } from './entry';
import { translateStreamError } from './errors';
import { GroupReader, type SlotGroup } from './group-reader';
import type { Id } from './id';
import { AUTOCLAIM } from './lua/autoclaim';
import { CLAIM_OWN } from './lua/claim-own';
import { DEAD_LETTER } from './lua/dead-letter';
import { isTransient } from './transient';
import { blockArg, nonEmpty, positiveInt } from './validate';

/** Options of `group.consume()`. */
export interface ConsumeOptions {
  /** Aborting ends the loop (a blocked read is cut short); acknowledgements already due are still sent. */
  signal?: AbortSignal;
  /** Entries per read, per stream (default 10). */
  count?: number;
  /**
   * How long one read waits for new entries (default `'5s'`; `Infinity` = until the next reclaim). `0` drains: the
   * loop ends once the group has nothing left to deliver.
   */
  block?: Duration;
  /** Acknowledge each message when the next one is asked for, unless `ack()`/`fail()` ran (default true). */
  autoAck?: boolean;
  /**
   * Every `claimIdle` (default `'60s'`) the loop takes over entries pending for at least that long, left behind by
   * dead consumers or by failed attempts (XAUTOCLAIM; Redis' clock decides). `null` never reclaims.
   */
  claimIdle?: Duration | null;
  /** Move an entry to a dead-letter stream instead of delivering it more than `maxDeliveries` times. */
  deadLetter?: {
    maxDeliveries: number;
    /** The dead-letter stream's name for a stream name (default `${name}:dead`). */
    stream?: (name: string) => string;
  };
}

/** @internal What the loop needs from its group. */
export interface LoopGroup {
  readonly db: Walrus;
  readonly name: string;
  readonly consumerName: string;
  readonly slots: readonly SlotGroup[];
  /** Stream name and key, in group order. */
  readonly members: readonly { name: string; key: string }[];
}

interface LoopStream {
  readonly name: string;
  readonly key: string;
  readonly deadKey?: string;
  readonly deadSameSlot: boolean;
  ownCursor: string | null;
  sweepCursor: string | null;
}

const claimOwnScript = new Script('streams.claim-own', CLAIM_OWN, { numKeys: 1 });
const autoclaimScript = new Script('streams.autoclaim', AUTOCLAIM, { numKeys: 1 });
const deadLetterScript = new Script('streams.dead-letter', DEAD_LETTER, { numKeys: 2 });

/** The scripts the loop runs (exported for SHA checks). */
export const consumerScripts = { claimOwn: claimOwnScript, autoclaim: autoclaimScript, deadLetter: deadLetterScript } as const;

const MAX_BACKOFF_MS = 2000;
/**
 * Pending entries are re-claimed one at a time, right before they are handed out: a claim counts a delivery, and a
 * consumer that crashes on one entry must not raise the delivery count of entries it never got to (or they would be
 * dead-lettered along with the poison one).
 */
const RECLAIM_PAGE = 1;
const REMEMBERED_ERRORS = 10_000;

function errorText(err: unknown): string {
  if (err === undefined) return '';
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}

/**
 * The crash-safe consumer loop behind `group.consume()`: re-claims its own pending entries, then reads new ones in
 * batches on a dedicated connection, acknowledges processed ones with the next read, reclaims idle entries of dead
 * consumers every `claimIdle`, and dead-letters entries delivered too often. Connection loss and server restarts
 * are retried with a capped backoff.
 */
export class ConsumerLoop<K extends string> implements MessageOwner {
  readonly #g: LoopGroup;
  readonly #signal?: AbortSignal;
  readonly #count: number;
  readonly #block: number | undefined;
  readonly #drain: boolean;
  readonly #autoAck: boolean;
  readonly #claimIdle: number | undefined;
  readonly #maxDeliveries: number;
  readonly #streams: LoopStream[];
  readonly #byKey = new Map<string, LoopStream>();
  readonly #queue: ConsumedMessage<K>[] = [];
  readonly #acks = new AckQueue();
  readonly #reader: GroupReader;
  readonly #lastErrors = new Map<string, string>();
  #ownPhase = true;
  #sweeping = false;
  #nextSweepAt = 0;
  #finished = false;
  #backoff = 0;

  constructor(group: LoopGroup, o: ConsumeOptions = {}) {
    if (o === null || typeof o !== 'object') throw new InvalidArgumentError('consume options must be an object', { field: 'options', value: o });
    this.#g = group;
    this.#signal = o.signal;
    this.#count = positiveInt(o.count, 'count') ?? 10;
    const blockMs = toMs(o.block ?? '5s', 'block');
    this.#drain = blockMs === 0;
    this.#block = blockArg(blockMs);
    this.#autoAck = o.autoAck ?? true;
    this.#claimIdle = o.claimIdle === null ? undefined : Math.max(1, Math.ceil(toMs(o.claimIdle ?? '60s', 'claimIdle')));
    if (this.#claimIdle === Infinity) throw new InvalidArgumentError('claimIdle must be finite (or null to never reclaim)', { field: 'claimIdle', value: o.claimIdle });
    const dl = o.deadLetter;
    if (dl !== undefined) {
      if (!dl || typeof dl !== 'object') throw new InvalidArgumentError('deadLetter must be { maxDeliveries, stream? }', { field: 'deadLetter', value: dl });
      this.#maxDeliveries = positiveInt(dl.maxDeliveries, 'deadLetter.maxDeliveries') ?? 0;
      if (!this.#maxDeliveries) throw new InvalidArgumentError('deadLetter.maxDeliveries is required', { field: 'deadLetter.maxDeliveries', value: undefined });
      if (dl.stream !== undefined && typeof dl.stream !== 'function') throw new InvalidArgumentError('deadLetter.stream must be a function of the stream name', { field: 'deadLetter.stream', value: dl.stream });
    } else this.#maxDeliveries = 0;
    const db = group.db;
    this.#streams = group.members.map(({ name, key }) => {
      const deadKey = dl ? db.key(nonEmpty(dl.stream ? dl.stream(name) : `${name}:dead`, 'deadLetter.stream')) : undefined;
      if (deadKey === key) throw new InvalidArgumentError(`the dead-letter stream of "${name}" cannot be the stream itself`, { field: 'deadLetter.stream', value: deadKey });
      const deadSameSlot = deadKey !== undefined && (!db.isCluster || keySlot(deadKey) === keySlot(key));
      return { name, key, deadKey, deadSameSlot, ownCursor: '-', sweepCursor: null };
    });
    for (const s of this.#streams) this.#byKey.set(s.key, s);
    this.#reader = new GroupReader(db, group.name, group.consumerName, group.slots);
  }

  /** The loop as an async iterator; ending it (break, throw, abort) sends the acknowledgements already due. */
  async *iterate(): AsyncIterableIterator<ConsumedMessage<K>> {
    try {
      for (;;) {
        const m = await this.#next();
        if (!m) return;
        yield m;
        if (this.#autoAck && m.settle()) this.#acks.add(m.key, m.id);
      }
    } finally {
      await this.#close();
    }
  }

  async #next(): Promise<ConsumedMessage<K> | undefined> {
    for (;;) {
      if (this.#signal?.aborted) return undefined;
      const m = this.#queue.shift();
      if (m) return m;
      if (this.#finished) return undefined;
      try {
        await this.#fill();
        this.#backoff = 0;
      } catch (err) {
        if (this.#signal?.aborted) return undefined;
        if (!isTransient(err)) throw err;
        await this.#recover();
        this.#backoff = Math.min(MAX_BACKOFF_MS, this.#backoff ? this.#backoff * 2 : 50);
        await sleep(this.#backoff, undefined, { signal: this.#signal }).catch(() => {});
      }
    }
  }

  /** After a failure the reply of a read may be lost while its entries sit in our pending list: re-claim them all. */
  async #recover(): Promise<void> {
    await this.#reader.reset();
    this.#queue.length = 0;
    this.#ownPhase = true;
    for (const s of this.#streams) s.ownCursor = '-';
  }

  async #fill(): Promise<void> {
    if (this.#ownPhase) {
      await this.#flushAcks();
      if (await this.#ownPage()) return;
    }
    if (this.#claimIdle !== undefined && (this.#sweeping || Date.now() >= this.#nextSweepAt)) {
      await this.#flushAcks();
      if (!this.#sweeping) {
        this.#sweeping = true;
        for (const s of this.#streams) s.sweepCursor = '0-0';
      }
      if (await this.#sweepPage()) return;
    }
    let block = this.#block;
    if (this.#sweeping) block = undefined;
    else if (block !== undefined && this.#claimIdle !== undefined) {
      const left = Math.max(1, this.#nextSweepAt - Date.now());
      block = block === 0 ? left : Math.min(block, left);
    }
    const batches = await this.#reader.read({ lastId: '>', count: this.#count, block, waitMs: block, signal: this.#signal, acks: this.#acks });
    for (const b of batches) for (const e of b.entries) this.#push(b.key, e, 1);
    if (this.#drain && !this.#queue.length && !this.#sweeping && !this.#ownPhase) this.#finished = true;
  }

  #push(key: string, e: Entry, deliveries: number): void {
    const s = this.#byKey.get(key);
    if (s) this.#queue.push(new ConsumedMessage(s.name as K, e.id, e.data, deliveries, key, this));
  }

  async #run(script: Script, s: LoopStream, args: (string | number)[]): Promise<Reply[]> {
    try {
      return (await script.run(this.#g.db, [s.key], args)) as Reply[];
    } catch (err) {
      const cause = err instanceof ScriptError ? err.cause : err;
      const mapped = await translateStreamError(this.#g.db, cause, { key: s.key, group: this.#g.name });
      throw mapped === cause ? err : mapped;
    }
  }

  /** The next of our own pending entries per stream; dead-letters those at the limit. True when it queued any. */
  async #ownPage(): Promise<boolean> {
    const { name: group, consumerName } = this.#g;
    await Promise.all(
      this.#streams
        .filter((s) => s.ownCursor !== null)
        .map(async (s) => {
          const [last, seen, entries, counts, over, overCounts] = await this.#run(claimOwnScript, s, [group, consumerName, s.ownCursor!, RECLAIM_PAGE, this.#maxDeliveries]);
          s.ownCursor = Number(seen) < RECLAIM_PAGE ? null : `(${String(last)}`;
          const parsed = parseEntries(entries, plainEntry).entries;
          parsed.forEach((e, i) => this.#push(s.key, e, Number((counts as Reply[])[i])));
          const overIds = (over as Reply[]).map(String);
          for (let i = 0; i < overIds.length; i++) await this.#deadLetter(s, overIds[i], Number((overCounts as Reply[])[i]), undefined);
        }),
    );
    if (this.#streams.every((s) => s.ownCursor === null)) this.#ownPhase = false;
    return this.#queue.length > 0;
  }

  /** The next idle entry per stream still being swept (XAUTOCLAIM). True when it queued any. */
  async #sweepPage(): Promise<boolean> {
    const { name: group, consumerName } = this.#g;
    await Promise.all(
      this.#streams
        .filter((s) => s.sweepCursor !== null)
        .map(async (s) => {
          const [next, entries, counts] = await this.#run(autoclaimScript, s, [group, consumerName, this.#claimIdle!, s.sweepCursor!, RECLAIM_PAGE]);
          s.sweepCursor = String(next) === '0-0' ? null : String(next);
          const parsed = parseEntries(entries, plainEntry).entries;
          for (let i = 0; i < parsed.length; i++) {
            const deliveries = Number((counts as Reply[])[i]);
            if (this.#maxDeliveries && deliveries > this.#maxDeliveries) await this.#deadLetter(s, parsed[i].id, deliveries - 1, parsed[i].data);
            else this.#push(s.key, parsed[i], deliveries);
          }
        }),
    );
    if (this.#streams.every((s) => s.sweepCursor === null)) {
      this.#sweeping = false;
      this.#nextSweepAt = Date.now() + this.#claimIdle!;
    }
    return this.#queue.length > 0;
  }

  /** Sends every acknowledgement due, on the shared connection; failed ones go back in the queue. */
  async #flushAcks(): Promise<void> {
    const taken = this.#acks.take();
    if (taken.size === 0) return;
    try {
      await Promise.all([...taken].map(([key, ids]) => this.#g.db.command(['XACK', key, this.#g.name, ...ids], { key })));
    } catch (err) {
      this.#acks.restore(taken);
      throw await translateStreamError(this.#g.db, err, { key: [...taken.keys()][0], group: this.#g.name });
    }
  }

  #remember(key: string, id: Id, text: string): void {
    const k = `${key}\n${id}`;
    this.#lastErrors.delete(k);
    this.#lastErrors.set(k, text);
    if (this.#lastErrors.size > REMEMBERED_ERRORS) this.#lastErrors.delete(this.#lastErrors.keys().next().value!);
  }

  /**
   * Moves an entry to its dead-letter stream and acknowledges it: one script when both streams share a slot, else
   * XADD then XACK (a crash between them can dead-letter the entry twice).
   */
  async #deadLetter(s: LoopStream, id: Id, deliveries: number, data: Record<string, string> | undefined, err?: unknown): Promise<void> {
    const remembered = this.#lastErrors.get(`${s.key}\n${id}`);
    this.#lastErrors.delete(`${s.key}\n${id}`);
    const text = err !== undefined ? errorText(err) : (remembered ?? `not acknowledged after ${deliveries} deliveries`);
    const { db, name: group, consumerName } = this.#g;
    if (s.deadSameSlot) {
      try {
        await deadLetterScript.run(db, [s.key, s.deadKey!], [group, consumerName, id, s.name, deliveries, text]);
      } catch (e) {
        const cause = e instanceof ScriptError ? e.cause : e;
        const mapped = await translateStreamError(db, cause, { key: s.key, keys: [s.key, s.deadKey!], group });
        throw mapped === cause ? e : mapped;
      }
      return;
    }
    let fields = data;
    if (!fields) {
      const found = await db.command<Reply[]>(['XRANGE', s.key, id, id], { key: s.key });
      fields = Array.isArray(found) && Array.isArray(found[0]) ? fieldsToObject((found[0] as Reply[])[1]) : {};
    }
    const meta = { _origin_stream: s.name, _origin_id: id, _group: group, _deliveries: String(deliveries), _error: text };
    const args = ['XADD', s.deadKey!, '*', ...Object.entries({ ...fields, ...meta }).flat()];
    try {
      await db.command(args, { key: s.deadKey });
      await db.command(['XACK', s.key, group, id], { key: s.key });
    } catch (e) {
      throw await translateStreamError(db, e, { key: s.deadKey!, group });
    }
  }

  /** @internal */
  async ack(m: ConsumedMessage): Promise<void> {
    const { db, name: group } = this.#g;
    try {
      await db.command(['XACK', m.key, group, m.id], { key: m.key });
    } catch (err) {
      throw await translateStreamError(db, err, { key: m.key, group });
    }
  }

  /** @internal */
  async fail(m: ConsumedMessage, err: unknown): Promise<void> {
    const s = this.#byKey.get(m.key)!;
    if (this.#maxDeliveries && m.deliveries >= this.#maxDeliveries) await this.#deadLetter(s, m.id, m.deliveries, m.data, err ?? 'failed');
    else this.#remember(m.key, m.id, errorText(err ?? 'failed'));
  }

  async #close(): Promise<void> {
    await this.#reader.reset();
    this.#finished = true;
    try {
      await this.#flushAcks();
    } catch (err) {
      // Unsent acknowledgements only mean redelivery (at-least-once); anything else is a real failure.
      if (!isTransient(err)) throw err;
    }
  }
}
