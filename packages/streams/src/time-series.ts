import type { Duration } from '@walrus/core';
import { BaseConsumerGroup } from './consumer-group';
import { ConsumerGroupStream, type AutoClaimResult, type GroupReadOptions, type PendingEntry, type PendingOptions } from './consumer-group-stream';
import { compareIds, toId, type Id, type IdLike } from './id';
import { Message } from './message';
import type { AddOptions } from './stream';

/** Range bounds of a time series: ids, Dates (the whole millisecond), `{ timestamp, sequence }` or Messages. */
export interface TimeRangeOptions {
  /** First entry (inclusive; default the oldest for `range`, the newest for `revRange`). */
  start?: IdLike;
  /** Last entry (inclusive). */
  end?: IdLike;
  /** Most entries returned. */
  count?: number;
}

/** A pending entry of a time series, with its id's time. */
export interface TimePendingEntry extends PendingEntry {
  timestamp: Date;
  sequence: number;
}

function bound(v: IdLike | undefined): Id | undefined {
  return v === undefined ? undefined : toId(v, { wholeMs: true });
}

/**
 * One stream of a {@link TimeSeries}: a ConsumerGroupStream whose methods take ids as Dates (UTC), `{ timestamp,
 * sequence }` or Messages as well as strings, and return {@link Message}s. A Date id means `<ms>-0`; as a range
 * bound, the whole millisecond.
 */
export class TimeSeriesStream<K extends string = string> extends ConsumerGroupStream {
  /** @internal */
  protected override entry(id: Id, data: Record<string, string>): Message<K> {
    return new Message(this.name as K, id, data);
  }

  /** Appends an entry; `id` may be a Date (`<ms>-0`, as in the Python library) or `{ timestamp, sequence }`. */
  override async add(data: Record<string, string | number | Buffer>, o: Omit<AddOptions, 'id' | 'minId'> & { id?: IdLike; minId?: IdLike } = {}): Promise<Id> {
    return await super.add(data, { ...o, id: o.id === undefined ? undefined : toId(o.id), minId: o.minId === undefined ? undefined : toId(o.minId) });
  }

  /** The message with this id, or `undefined`. */
  override async get(id: IdLike): Promise<Message<K> | undefined> {
    return (await super.get(toId(id))) as Message<K> | undefined;
  }

  /** Messages between two times or ids, oldest first. */
  override async range(o: TimeRangeOptions = {}): Promise<Message<K>[]> {
    return (await super.range({ start: bound(o.start), end: bound(o.end), count: o.count })) as Message<K>[];
  }

  /** Messages from `start` down to `end`, newest first. */
  override async revRange(o: TimeRangeOptions = {}): Promise<Message<K>[]> {
    return (await super.revRange({ start: bound(o.start), end: bound(o.end), count: o.count })) as Message<K>[];
  }

  /** Pages through the messages with XRANGE. */
  override scan(o: TimeRangeOptions = {}): AsyncIterableIterator<Message<K>> {
    return super.scan({ start: bound(o.start), end: bound(o.end), count: o.count }) as AsyncIterableIterator<Message<K>>;
  }

  /** Same as {@link TimeSeriesStream.scan} with its defaults. */
  override [Symbol.asyncIterator](): AsyncIterator<Message<K>> {
    return this.scan();
  }

  /** Deletes messages by id, Date or Message. */
  override async delete(...ids: IdLike[]): Promise<number> {
    return await super.delete(...ids.map((id) => toId(id)));
  }

  /** Acknowledges messages by id, Date or Message. */
  override async ack(...ids: IdLike[]): Promise<number> {
    return await super.ack(...ids.map((id) => toId(id)));
  }

  /** Claims pending messages for this consumer. */
  override async claim(ids: IdLike[], o: { minIdle?: Duration } = {}): Promise<Message<K>[]> {
    return (await super.claim((Array.isArray(ids) ? ids : [ids]).map((id) => toId(id)), o)) as Message<K>[];
  }

  /** XAUTOCLAIM, returning Messages. */
  override async autoClaim(o: { minIdle: Duration; start?: IdLike; count?: number }): Promise<AutoClaimResult<Message<K>>> {
    return (await super.autoClaim({ ...o, start: o?.start === undefined ? undefined : toId(o.start) })) as AutoClaimResult<Message<K>>;
  }

  /** Pending messages, each with its id's `timestamp` and `sequence`. */
  override async pending(o: Omit<PendingOptions, 'start' | 'end'> & { start?: IdLike; end?: IdLike } = {}): Promise<TimePendingEntry[]> {
    const list = await super.pending({ ...o, start: bound(o.start), end: bound(o.end) });
    return list.map((p) => {
      const m = new Message(this.name, p.id, {});
      return { ...p, timestamp: m.timestamp, sequence: m.sequence };
    });
  }

  /** Reads as this consumer; `lastId` may be a Date or a Message. */
  override async read(o: GroupReadOptions & { lastId?: IdLike } = {}): Promise<Message<K>[]> {
    return (await super.read({ ...o, lastId: o.lastId === undefined ? undefined : toId(o.lastId) })) as Message<K>[];
  }

  /** Sets the group's last-delivered id (`$` by default); a Date means `<ms>-0`. */
  override async setId(id: IdLike = '$'): Promise<void> {
    return await super.setId(toId(id));
  }
}

/**
 * A consumer group whose ids are times: like {@link ConsumerGroup}, but its streams are {@link TimeSeriesStream}s and
 * `read()` returns one list of {@link Message}s from all streams ordered by numeric id (then by stream order).
 */
export class TimeSeries<K extends string = string> extends BaseConsumerGroup<K, TimeSeriesStream<K>> {
  /** @internal */
  protected makeStream(name: K): TimeSeriesStream<K> {
    return new TimeSeriesStream<K>(this.db, name, this.name, this.consumerName);
  }

  /** Reads new messages, up to `count` per stream, merged in time order. */
  async read(o: GroupReadOptions = {}): Promise<Message<K>[]> {
    const order = new Map(this.members.map((m, i) => [m.name, i]));
    const messages = (await this.readBatches(o)).flatMap((b) => b.entries.map((e) => new Message(b.stream, e.id, e.data)));
    return messages.sort((a, b) => compareIds(a.id, b.id) || order.get(a.stream)! - order.get(b.stream)!);
  }
}
