import { InvalidArgumentError, toMs, type Arg, type Duration, type Reply, type Walrus } from '@walrus/core';
import { parseEntries, parseStreamsReply, type Entry } from './entry';
import { streamCommand, translateStreamError } from './errors';
import { checkId, type Id } from './id';
import { infoList, infoObject, type ConsumerInfo, type GroupInfo, type StreamInfo } from './info';
import { blockArg, fieldArgs, nonEmpty, positiveInt } from './validate';

/** Options of {@link Stream.add}: the id and an optional trim done by the same XADD. */
export interface AddOptions {
  /** `*` (default: Redis picks `<now ms>-<seq>`), `<ms>-*` (Redis 7+) or an explicit id above the stream's last. */
  id?: Id;
  /** Trim to about (or, with `approximate: false`, exactly) this many entries. */
  maxLen?: number;
  /** Trim entries with ids below this one. */
  minId?: Id;
  /** `~` trimming, cheaper and the default; `false` trims exactly. */
  approximate?: boolean;
  /** Most entries one approximate trim may evict (Redis' `LIMIT`). */
  limit?: number;
}

/** Options of {@link Stream.range} and {@link Stream.revRange}. */
export interface RangeOptions {
  /** First id (inclusive; `(id` exclusive). Default `-` for `range`, `+` for `revRange`. */
  start?: Id;
  /** Last id (inclusive; `(id` exclusive). Default `+` for `range`, `-` for `revRange`. */
  end?: Id;
  /** Most entries returned. */
  count?: number;
}

/** Options of {@link Stream.read}. */
export interface StreamReadOptions {
  /** Read entries after this id (exclusive); `$` = only entries added while blocking. Default `0-0`: everything. */
  lastId?: Id;
  /** Most entries returned. */
  count?: number;
  /** Wait this long for entries (`Infinity` = forever, `0` or absent = no wait) on a dedicated connection. */
  block?: Duration;
  /** Aborting destroys the waiting connection and rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** How {@link Stream.trim} trims: to a length or below an id. */
export type TrimBy = { maxLen: number } | { minId: Id };

/** Trim arguments (`MAXLEN|MINID [~|=] threshold [LIMIT n]`) shared by XADD and XTRIM. */
export function trimArgs(by: { maxLen?: number; minId?: Id }, o: { approximate?: boolean; limit?: number }): string[] {
  const approximate = o.approximate ?? true;
  if (by.maxLen !== undefined && by.minId !== undefined) throw new InvalidArgumentError('give maxLen or minId, not both', { field: 'maxLen', value: by });
  if (o.limit !== undefined && !approximate) throw new InvalidArgumentError('limit only applies to approximate trimming', { field: 'limit', value: o.limit });
  let args: string[] = [];
  if (by.maxLen !== undefined) {
    if (!Number.isSafeInteger(by.maxLen) || by.maxLen < 0) throw new InvalidArgumentError(`maxLen must be a non-negative integer, got ${by.maxLen}`, { field: 'maxLen', value: by.maxLen });
    args = ['MAXLEN', approximate ? '~' : '=', String(by.maxLen)];
  } else if (by.minId !== undefined) args = ['MINID', approximate ? '~' : '=', checkId(by.minId, 'entry', 'minId')];
  else if (o.limit !== undefined) throw new InvalidArgumentError('limit needs maxLen or minId', { field: 'limit', value: o.limit });
  if (o.limit !== undefined && args.length) args.push('LIMIT', String(positiveInt(o.limit, 'limit')));
  return args;
}

/**
 * A Redis stream used on its own: append, read ranges, delete, trim and block for new entries. The key is
 * `db.key(name)` (stream names are verbatim). Async-iterable: `for await (const e of stream)` pages through XRANGE.
 */
export class Stream implements AsyncIterable<Entry> {
  /** The full Redis key. */
  readonly key: string;

  constructor(
    /** The handle the stream works through. */
    readonly db: Walrus,
    /** The stream name (the key without the handle's prefix). */
    readonly name: string,
  ) {
    nonEmpty(name, 'name');
    this.key = db.key(name);
  }

  /** @internal Builds the entry objects this stream returns (a TimeSeriesStream makes Messages). */
  protected entry(id: Id, data: Record<string, string>): Entry {
    return { id, data };
  }

  /** @internal Sends one command about this stream, with stream errors translated. */
  protected send<T = Reply>(args: Arg[], group?: string): Promise<T> {
    return streamCommand<T>(this.db, args, { key: this.key, group });
  }

  /**
   * @internal Sends an XREAD/XREADGROUP: blocking ones on a dedicated connection (abort destroys it and rejects
   * with the signal's reason), others like any command; stream errors are translated either way.
   */
  protected async sendRead(args: Arg[], blocks: boolean, signal: AbortSignal | undefined, group?: string): Promise<Reply> {
    signal?.throwIfAborted();
    if (!blocks) return this.send(args, group);
    return this.db.blocking((c) => c.command(args, { key: this.key }), { signal }).catch(async (err: unknown) => {
      throw signal?.aborted ? err : await translateStreamError(this.db, err, { key: this.key, group });
    });
  }

  /** @internal */
  protected entries(reply: Reply): Entry[] {
    return parseEntries(reply, (id, data) => this.entry(id, data)).entries;
  }

  /** Appends one entry (XADD) and returns its id. Trimming options trim in the same command. One round trip. */
  async add(data: Record<string, string | number | Buffer>, o: AddOptions = {}): Promise<Id> {
    const args: Arg[] = ['XADD', this.key, ...trimArgs(o, o), checkId(o.id ?? '*', 'add'), ...fieldArgs(data)];
    return String(await this.send(args));
  }

  /**
   * Appends several entries with Redis-made ids in one MULTI/EXEC (all or none), returning their ids in order. One
   * round trip; an empty list sends nothing.
   */
  async addMany(items: readonly Record<string, string | number | Buffer>[], o: Omit<AddOptions, 'id'> = {}): Promise<Id[]> {
    if (!Array.isArray(items)) throw new InvalidArgumentError('addMany takes an array of entries', { field: 'items', value: items });
    const trim = trimArgs(o, o);
    const commands = items.map((data) => ['XADD', this.key, ...trim, '*', ...fieldArgs(data)]);
    if (commands.length === 0) return [];
    const tx = this.db.transaction(this.key);
    for (const args of commands) tx.command(args, { key: this.key });
    try {
      return (await tx.exec()).map(String);
    } catch (err) {
      throw await translateStreamError(this.db, err, { key: this.key });
    }
  }

  /** The entry with this id, or `undefined`. One XRANGE. */
  async get(id: Id): Promise<Entry | undefined> {
    const at = checkId(id, 'entry');
    return this.entries(await this.send(['XRANGE', this.key, at, at, 'COUNT', '1']))[0];
  }

  /** Entries from `start` to `end`, oldest first (both inclusive unless written `(id`). One XRANGE. */
  async range(o: RangeOptions = {}): Promise<Entry[]> {
    return this.entries(await this.send(['XRANGE', this.key, ...this.bounds(o, '-', '+')]));
  }

  /** Entries from `start` (default `+`) down to `end` (default `-`), newest first. One XREVRANGE. */
  async revRange(o: RangeOptions = {}): Promise<Entry[]> {
    return this.entries(await this.send(['XREVRANGE', this.key, ...this.bounds(o, '+', '-')]));
  }

  /** @internal */
  protected bounds(o: RangeOptions, start: Id, end: Id): string[] {
    const args = [checkId(o.start ?? start, 'range', 'start'), checkId(o.end ?? end, 'range', 'end')];
    const count = positiveInt(o.count, 'count');
    if (count !== undefined) args.push('COUNT', String(count));
    return args;
  }

  /** Pages through the stream with XRANGE (`count` entries per round trip, default 1000). */
  async *scan(o: { start?: Id; end?: Id; count?: number } = {}): AsyncIterableIterator<Entry> {
    const page = positiveInt(o.count, 'count') ?? 1000;
    let start = checkId(o.start ?? '-', 'range', 'start');
    const end = checkId(o.end ?? '+', 'range', 'end');
    for (;;) {
      const batch = await this.send<Reply>(['XRANGE', this.key, start, end, 'COUNT', String(page)]);
      const parsed = Array.isArray(batch) ? batch : [];
      for (const entry of this.entries(parsed)) yield entry;
      if (parsed.length < page) return;
      start = `(${String((parsed[parsed.length - 1] as Reply[])[0])}`;
    }
  }

  /** Same as {@link Stream.scan} with its defaults. */
  [Symbol.asyncIterator](): AsyncIterator<Entry> {
    return this.scan();
  }

  /** Deletes entries by id (XDEL) and returns how many existed. No ids: nothing is sent. */
  async delete(...ids: Id[]): Promise<number> {
    const checked = ids.map((id) => checkId(id, 'entry'));
    if (checked.length === 0) return 0;
    return Number(await this.send(['XDEL', this.key, ...checked]));
  }

  /** Number of entries (XLEN; 0 for a missing key). */
  async size(): Promise<number> {
    return Number(await this.send(['XLEN', this.key]));
  }

  /**
   * Sets the stream's last id (XSETID), which new `*` ids must exceed. A missing stream → `NotFoundError`; an id below
   * the newest entry → `InvalidArgumentError`.
   */
  async setId(id: Id): Promise<void> {
    await this.send(['XSETID', this.key, checkId(id, 'entry')]);
  }

  /**
   * Entries after `lastId` (XREAD). With `block` it waits on a dedicated connection until an entry arrives or the
   * time runs out (then `[]`); `lastId: '$'` reads only entries added while waiting.
   */
  async read(o: StreamReadOptions = {}): Promise<Entry[]> {
    const args: Arg[] = ['XREAD'];
    const count = positiveInt(o.count, 'count');
    if (count !== undefined) args.push('COUNT', String(count));
    const block = blockArg(o.block);
    if (block !== undefined) args.push('BLOCK', String(block));
    args.push('STREAMS', this.key, checkId(o.lastId ?? '0-0', 'after', 'lastId'));
    const reply = await this.sendRead(args, block !== undefined, o.signal);
    const batch = parseStreamsReply(reply)[0];
    return batch ? this.entries(batch[1]) : [];
  }

  /** Trims the oldest entries (XTRIM) to a length or below an id; approximate (`~`) by default. Returns the number removed. */
  async trim(by: TrimBy, o: { approximate?: boolean; limit?: number } = {}): Promise<number> {
    if (!by || typeof by !== 'object' || (!('maxLen' in by) && !('minId' in by)))
      throw new InvalidArgumentError('trim takes { maxLen } or { minId }', { field: 'by', value: by });
    return Number(await this.send(['XTRIM', this.key, ...trimArgs(by, o)]));
  }

  /** `XINFO STREAM`, camelCased. A missing stream → `NotFoundError`. */
  async info(): Promise<StreamInfo> {
    return infoObject(await this.send(['XINFO', 'STREAM', this.key]), (id, data) => this.entry(id, data)) as StreamInfo;
  }

  /** `XINFO GROUPS`: the consumer groups of the stream. */
  async groupsInfo(): Promise<GroupInfo[]> {
    return infoList<GroupInfo>(await this.send(['XINFO', 'GROUPS', this.key]));
  }

  /** `XINFO CONSUMERS`: the consumers of one group. An unknown group → `NotFoundError`. */
  async consumersInfo(group: string): Promise<ConsumerInfo[]> {
    nonEmpty(group, 'group');
    return infoList<ConsumerInfo>(await this.send(['XINFO', 'CONSUMERS', this.key, group], group));
  }

  /** True when the key exists. */
  async exists(): Promise<boolean> {
    return Number(await this.send(['EXISTS', this.key])) === 1;
  }

  /** Deletes the whole stream, its groups included (DEL). True when it existed. */
  async clear(): Promise<boolean> {
    return Number(await this.send(['DEL', this.key])) === 1;
  }

  /** The key in Redis' DUMP format, or `undefined` when missing. */
  async dump(): Promise<Buffer | undefined> {
    const r = await this.db.command<Buffer | null>(['DUMP', this.key], { key: this.key, buffers: true });
    return r ?? undefined;
  }

  /** Expires the key after `ttl` (PEXPIRE). True when the key exists. */
  async expire(ttl: Duration): Promise<boolean> {
    return this.pexpire(toMs(ttl, 'ttl'));
  }

  /** Expires the key after `ms` milliseconds. */
  async pexpire(ms: number): Promise<boolean> {
    if (!Number.isFinite(ms)) throw new InvalidArgumentError('ttl must be finite', { field: 'ttl', value: ms });
    return Number(await this.send(['PEXPIRE', this.key, String(Math.ceil(ms))])) === 1;
  }

  /** Removes the key's expiry. True when there was one. */
  async persist(): Promise<boolean> {
    return Number(await this.send(['PERSIST', this.key])) === 1;
  }

  /** Milliseconds left before expiry; `null` when the key never expires, `undefined` when it is missing. */
  async ttl(): Promise<number | null | undefined> {
    const ms = Number(await this.send(['PTTL', this.key]));
    return ms === -2 ? undefined : ms === -1 ? null : ms;
  }
}
