import { InvalidArgumentError, NotFoundError, WrongTypeError, isReplyError, keySlot, type Walrus } from '@walrus/core';
import type { ConsumedMessage } from './consumed-message';
import { ConsumerGroupStream, type GroupReadOptions } from './consumer-group-stream';
import { ConsumerLoop, type ConsumeOptions } from './consumer-loop';
import type { Entry } from './entry';
import { streamCommand } from './errors';
import { GroupReader, type RawBatch, type SlotGroup } from './group-reader';
import { checkId, type Id } from './id';
import type { StreamInfo } from './info';
import { blockArg, nonEmpty } from './validate';

/** The streams of a group: one name, a list, or names mapped to the id the group starts after (default `0-0`). */
export type GroupStreams<K extends string> = K | readonly K[] | Readonly<Record<K, Id>>;

/** Options of a group's constructor. */
export interface ConsumerGroupOptions {
  /** The consumer this object reads as (default `${group}.c1`, as in the Python library). */
  consumer?: string;
}

/** What one stream gave a group read. */
export interface StreamBatch<K extends string = string> {
  stream: K;
  messages: Entry[];
}

type GroupConstructor<G> = new (db: Walrus, name: string, streams: Record<string, Id>, o: ConsumerGroupOptions) => G;

/**
 * What {@link ConsumerGroup} and {@link TimeSeries} share: the group's streams, creating and resetting the group on
 * each of them, and the consumer loop. Their `read()` differs (batches per stream vs. one time-ordered list).
 */
export abstract class BaseConsumerGroup<K extends string, S extends ConsumerGroupStream> {
  /** The group's streams by name. */
  readonly streams: ReadonlyMap<K, S>;
  /** The consumer this object reads as. */
  readonly consumerName: string;
  /** @internal Start ids by stream name. */
  protected readonly starts: ReadonlyMap<K, Id>;
  /** @internal Stream keys sharing a slot, one XREADGROUP each. */
  readonly slots: readonly SlotGroup[];
  /** @internal Stream name and key, in order. */
  readonly members: readonly { name: K; key: string }[];
  #reader?: GroupReader;

  constructor(
    /** The handle the group works through. */
    readonly db: Walrus,
    /** The consumer group name. */
    readonly name: string,
    streams: GroupStreams<K>,
    o: ConsumerGroupOptions = {},
  ) {
    nonEmpty(name, 'name');
    this.consumerName = nonEmpty(o.consumer ?? `${name}.c1`, 'consumer');
    const starts = new Map<K, Id>();
    if (typeof streams === 'string') starts.set(streams, '0-0');
    else if (Array.isArray(streams)) for (const k of streams as readonly K[]) starts.set(k, '0-0');
    else if (streams && typeof streams === 'object') for (const [k, id] of Object.entries(streams)) starts.set(k as K, checkId(id, 'groupStart', `streams.${k}`));
    if (starts.size === 0) throw new InvalidArgumentError('a consumer group needs at least one stream', { field: 'streams', value: streams });
    if (Array.isArray(streams) && starts.size !== streams.length) throw new InvalidArgumentError('a consumer group lists each stream once', { field: 'streams', value: streams });
    for (const k of starts.keys()) nonEmpty(k, 'stream');
    this.starts = starts;
    this.streams = new Map([...starts.keys()].map((k) => [k, this.makeStream(k)]));
    this.members = [...this.streams.values()].map((s) => ({ name: s.name as K, key: s.key }));
    const bySlot = new Map<number, string[]>();
    for (const { key } of this.members) {
      const slot = db.isCluster ? keySlot(key) : 0;
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), key]);
    }
    this.slots = [...bySlot.values()].map((keys) => ({ keys }));
  }

  /** @internal Makes the per-stream object. */
  protected abstract makeStream(name: K): S;

  /** The group's stream `name`; a name outside the group → `InvalidArgumentError`. */
  stream(name: K): S {
    const s = this.streams.get(name);
    if (!s) throw new InvalidArgumentError(`"${name}" is not a stream of consumer group "${this.name}" (streams: ${[...this.streams.keys()].join(', ')})`, { field: 'stream', value: name });
    return s;
  }

  /** The same group, read as another consumer. Creating a consumer object does not touch Redis. */
  consumer(name: string): this {
    const Ctor = this.constructor as GroupConstructor<this>;
    return new Ctor(this.db, this.name, Object.fromEntries(this.starts) as Record<string, Id>, { consumer: nonEmpty(name, 'consumer') });
  }

  /**
   * Creates the group on every stream (XGROUP CREATE at the stream's start id). With `ensureExists` (default) a
   * missing stream is created empty (MKSTREAM); without it a missing stream → `NotFoundError`. A key holding another
   * type → `WrongTypeError`, checked on every key before anything is created. Resolves `{ stream: created }`, false
   * where the group already existed. Two round trips (TYPE of every key, then the creates, each step pipelined).
   */
  async create(o: { ensureExists?: boolean } = {}): Promise<Record<K, boolean>> {
    const ensure = o.ensureExists ?? true;
    const types = await Promise.all(this.members.map(({ key }) => this.db.command<string>(['TYPE', key], { key })));
    types.forEach((type, i) => {
      if (type !== 'none' && type !== 'stream') throw new WrongTypeError(this.members[i].key, 'stream', String(type));
    });
    const results = await Promise.all(
      this.members.map(async ({ name, key }) => {
        const args = ['XGROUP', 'CREATE', key, this.name, this.starts.get(name)!];
        if (ensure) args.push('MKSTREAM');
        try {
          await streamCommand(this.db, args, { key, group: this.name });
          return [name, true] as const;
        } catch (err) {
          if (isReplyError(err, 'BUSYGROUP')) return [name, false] as const;
          throw err;
        }
      }),
    );
    return Object.fromEntries(results) as Record<K, boolean>;
  }

  /** Deletes the group from every stream (XGROUP DESTROY), pending lists included. `{ stream: existed }`. One round trip. */
  async destroy(): Promise<Record<K, boolean>> {
    const results = await Promise.all(
      this.members.map(async ({ name, key }) => {
        try {
          const n = await streamCommand<number>(this.db, ['XGROUP', 'DESTROY', key, this.name], { key, group: this.name });
          return [name, Number(n) === 1] as const;
        } catch (err) {
          if (err instanceof NotFoundError) return [name, false] as const;
          throw err;
        }
      }),
    );
    return Object.fromEntries(results) as Record<K, boolean>;
  }

  /**
   * Sets the group's last-delivered id on every stream (XGROUP SETID): `$` (default) marks everything read, `0-0`
   * everything unread. An unknown group → `NotFoundError`.
   */
  async setId(id: Id = '$'): Promise<void> {
    const checked = checkId(id, 'groupStart');
    await Promise.all([...this.streams.values()].map((s) => s.setId(checked)));
  }

  /** Makes every entry of every stream unread again (`setId('0-0')`). */
  async reset(): Promise<void> {
    await this.setId('0-0');
  }

  /** `XINFO STREAM` of every stream, by name. */
  async info(): Promise<Record<K, StreamInfo>> {
    const entries = await Promise.all([...this.streams].map(async ([k, s]) => [k, await s.info()] as const));
    return Object.fromEntries(entries) as Record<K, StreamInfo>;
  }

  /** @internal One group read across all streams (one XREADGROUP per slot group). */
  protected async readBatches(o: GroupReadOptions = {}): Promise<{ stream: K; entries: Entry[] }[]> {
    const count = o.count;
    if (count !== undefined && (!Number.isSafeInteger(count) || count < 1)) throw new InvalidArgumentError(`count must be a positive integer, got ${count}`, { field: 'count', value: count });
    this.#reader ??= new GroupReader(this.db, this.name, this.consumerName, this.slots);
    const batches: RawBatch[] = await this.#reader.read({ lastId: '>', count, block: blockArg(o.block), noAck: o.noAck, signal: o.signal });
    const byKey = new Map(this.members.map((m) => [m.key, m.name]));
    return batches.filter((b) => b.entries.length).map((b) => ({ stream: byKey.get(b.key)!, entries: b.entries }));
  }

  /**
   * Consumes the group's streams as this consumer, at least once:
   *
   * ```ts
   * for await (const m of group.consume({ signal, deadLetter: { maxDeliveries: 5 } })) await handle(m.data);
   * ```
   *
   * The loop first re-claims its own pending entries (each claim counts a delivery), then reads new ones in batches
   * of `count` on a dedicated connection. A message is acknowledged when the next one is asked for (sent with the
   * next read), unless `ack()` or `fail()` ran; a throwing or `break`ing body leaves the current message pending.
   * Every `claimIdle` the loop takes over entries idle that long (XAUTOCLAIM). An entry whose next delivery would
   * exceed `deadLetter.maxDeliveries` goes to the dead-letter stream instead, with `_origin_stream`, `_origin_id`,
   * `_group`, `_deliveries` and `_error`. Lost connections and restarts are retried; aborting `signal` ends the loop.
   */
  consume(o: ConsumeOptions = {}): AsyncIterableIterator<ConsumedMessage<K>> {
    return new ConsumerLoop<K>(this, o).iterate();
  }
}

/**
 * A consumer group over one or more streams, read as one consumer (see the Python `ConsumerGroup`). Streams in
 * different cluster slots are read with one XREADGROUP per slot and merged.
 */
export class ConsumerGroup<K extends string = string> extends BaseConsumerGroup<K, ConsumerGroupStream> {
  /** @internal */
  protected makeStream(name: K): ConsumerGroupStream {
    return new ConsumerGroupStream(this.db, name, this.name, this.consumerName);
  }

  /**
   * Reads entries never delivered to the group, up to `count` per stream, as this consumer (they join its pending
   * list unless `noAck`). Only streams that gave entries appear, in group order. With `block` each slot group waits
   * on its own connection; the first reply with entries resolves, later ones are kept for the next `read()`.
   */
  async read(o: GroupReadOptions = {}): Promise<StreamBatch<K>[]> {
    return (await this.readBatches(o)).map((b) => ({ stream: b.stream, messages: b.entries }));
  }
}
