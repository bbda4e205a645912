import { toMs, type Arg, type Duration, type Reply, type Walrus } from '@walrus/core';
import { parseEntries, parseStreamsReply, type Entry } from './entry';
import { checkId, type Id } from './id';
import type { ConsumerInfo, GroupInfo } from './info';
import { Stream } from './stream';
import { blockArg, nonEmpty, positiveInt } from './validate';

/** Options of group reads (XREADGROUP). */
export interface GroupReadOptions {
  /** Most entries per stream. */
  count?: number;
  /** Wait this long for entries (`Infinity` = forever, `0` or absent = no wait), on a dedicated connection. */
  block?: Duration;
  /** Do not add the entries to the pending list (they count as acknowledged at once). */
  noAck?: boolean;
  /** Aborting destroys the waiting connection and rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** One pending (delivered, unacknowledged) entry, from XPENDING. */
export interface PendingEntry {
  id: Id;
  /** The consumer that holds it. */
  consumer: string;
  /** Milliseconds since it was last delivered. */
  idleMs: number;
  /** How many times it was delivered. */
  deliveries: number;
}

/** The XPENDING summary of a group on one stream. */
export interface PendingSummary {
  /** Pending entries in all. */
  count: number;
  /** Smallest and largest pending id (absent when nothing is pending). */
  minId?: Id;
  maxId?: Id;
  /** Pending entries per consumer. */
  consumers: Record<string, number>;
}

/** Options of {@link ConsumerGroupStream.pending}. */
export interface PendingOptions {
  /** Lowest id (default `-`; `(id` is exclusive). */
  start?: Id;
  /** Highest id (default `+`). */
  end?: Id;
  /** Most entries (default 1000). */
  count?: number;
  /** Only entries held by this consumer. */
  consumer?: string;
  /** Only entries idle at least this long (Redis' clock). */
  minIdle?: Duration;
}

/** What {@link ConsumerGroupStream.autoClaim} returns. */
export interface AutoClaimResult<E extends Entry = Entry> {
  /** Where the next call should start (`0-0`: the scan went round the whole pending list). */
  nextId: Id;
  /** The entries now owned by this consumer. */
  messages: E[];
  /** Pending ids whose entries were deleted; Redis dropped them from the pending list (Redis 7+). */
  deletedIds: Id[];
}

/**
 * One stream seen through a consumer group and one of its consumers: the Stream API plus acknowledging, claiming
 * and inspecting the group's pending entries. Get it from `group.stream(name)` or `group.streams`.
 */
export class ConsumerGroupStream extends Stream {
  constructor(
    db: Walrus,
    name: string,
    /** The consumer group. */
    readonly group: string,
    /** The consumer that reads and claims. */
    readonly consumer: string,
  ) {
    super(db, name);
    nonEmpty(group, 'group');
    nonEmpty(consumer, 'consumer');
  }

  /** @internal */
  protected override send<T = Reply>(args: Arg[], group: string = this.group): Promise<T> {
    return super.send<T>(args, group);
  }

  /** Acknowledges entries (XACK): they leave the pending list. Returns how many were pending. No ids: nothing is sent. */
  async ack(...ids: Id[]): Promise<number> {
    const checked = ids.map((id) => checkId(id, 'entry'));
    if (checked.length === 0) return 0;
    return Number(await this.send(['XACK', this.key, this.group, ...checked]));
  }

  /**
   * Takes over pending entries (XCLAIM) for this consumer, if idle at least `minIdle` (default 0), and returns them.
   * Each claim counts a delivery. Entries deleted meanwhile are left out (and dropped from the pending list).
   */
  async claim(ids: Id[], o: { minIdle?: Duration } = {}): Promise<Entry[]> {
    const checked = (Array.isArray(ids) ? ids : [ids]).map((id) => checkId(id, 'entry'));
    const minIdle = Math.ceil(toMs(o.minIdle ?? 0, 'minIdle'));
    if (checked.length === 0) return [];
    return this.entries(await this.send(['XCLAIM', this.key, this.group, this.consumer, String(minIdle), ...checked]));
  }

  /** Claims up to `count` entries idle at least `minIdle`, scanning the pending list from `start` (XAUTOCLAIM). */
  async autoClaim(o: { minIdle: Duration; start?: Id; count?: number }): Promise<AutoClaimResult> {
    const minIdle = Math.ceil(toMs(o?.minIdle, 'minIdle'));
    const args = ['XAUTOCLAIM', this.key, this.group, this.consumer, String(minIdle), checkId(o.start ?? '0-0', 'entry', 'start')];
    const count = positiveInt(o.count, 'count');
    if (count !== undefined) args.push('COUNT', String(count));
    const reply = await this.send<Reply[]>(args);
    const parsed = parseEntries(reply[1], (id, data) => this.entry(id, data));
    const deletedIds = Array.isArray(reply[2]) ? reply[2].map(String) : [];
    return { nextId: String(reply[0]), messages: parsed.entries, deletedIds: [...deletedIds, ...parsed.deleted] };
  }

  /** Pending entries with their consumer, idle time and delivery count (XPENDING, extended form). */
  async pending(o: PendingOptions = {}): Promise<PendingEntry[]> {
    const args = ['XPENDING', this.key, this.group];
    if (o.minIdle !== undefined) args.push('IDLE', String(Math.ceil(toMs(o.minIdle, 'minIdle'))));
    args.push(checkId(o.start ?? '-', 'range', 'start'), checkId(o.end ?? '+', 'range', 'end'), String(positiveInt(o.count, 'count') ?? 1000));
    if (o.consumer !== undefined) args.push(nonEmpty(o.consumer, 'consumer'));
    const reply = await this.send<Reply[][]>(args);
    return reply.map((p) => ({ id: String(p[0]), consumer: String(p[1]), idleMs: Number(p[2]), deliveries: Number(p[3]) }));
  }

  /** How many entries are pending, their id range and the count per consumer (XPENDING summary). */
  async pendingSummary(): Promise<PendingSummary> {
    const [count, minId, maxId, consumers] = await this.send<Reply[]>(['XPENDING', this.key, this.group]);
    const perConsumer: Record<string, number> = {};
    if (Array.isArray(consumers)) for (const c of consumers as Reply[][]) perConsumer[String(c[0])] = Number(c[1]);
    return { count: Number(count), minId: minId === null ? undefined : String(minId), maxId: maxId === null ? undefined : String(maxId), consumers: perConsumer };
  }

  /**
   * Reads as this consumer (XREADGROUP). `lastId: '>'` (default) gives entries never delivered to the group and
   * adds them to this consumer's pending list; an id re-reads this consumer's own pending entries after it.
   */
  override async read(o: GroupReadOptions & { lastId?: Id } = {}): Promise<Entry[]> {
    const args = groupReadArgs(this.group, this.consumer, o);
    args.push('STREAMS', this.key, checkId(o.lastId ?? '>', 'groupRead', 'lastId'));
    const block = blockArg(o.block);
    const reply = await this.sendRead(args, block !== undefined, o.signal, this.group);
    const batch = parseStreamsReply(reply)[0];
    return batch ? this.entries(batch[1]) : [];
  }

  /**
   * Sets the group's last-delivered id on this stream (XGROUP SETID): `$` (default) marks everything read, `0-0`
   * makes everything unread.
   */
  override async setId(id: Id = '$'): Promise<void> {
    await this.send(['XGROUP', 'SETID', this.key, this.group, checkId(id, 'groupStart')]);
  }

  /** Removes a consumer (default: this one) from the group; returns how many entries it still had pending. */
  async deleteConsumer(name: string = this.consumer): Promise<number> {
    return Number(await this.send(['XGROUP', 'DELCONSUMER', this.key, this.group, nonEmpty(name, 'consumer')]));
  }

  /** `XINFO CONSUMERS` of this group (or of another group). */
  override async consumersInfo(group: string = this.group): Promise<ConsumerInfo[]> {
    return super.consumersInfo(group);
  }

  /** This group's line of `XINFO GROUPS` (consumers, pending, last-delivered id, lag), or `undefined`. */
  async groupInfo(): Promise<GroupInfo | undefined> {
    return (await this.groupsInfo()).find((g) => g.name === this.group);
  }
}

/** `XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK]`, validated. */
export function groupReadArgs(group: string, consumer: string, o: GroupReadOptions): Arg[] {
  const args: Arg[] = ['XREADGROUP', 'GROUP', group, consumer];
  const count = positiveInt(o.count, 'count');
  if (count !== undefined) args.push('COUNT', String(count));
  const block = blockArg(o.block);
  if (block !== undefined) args.push('BLOCK', String(block));
  if (o.noAck) args.push('NOACK');
  return args;
}
