import { DecodeError, InvalidArgumentError, isReplyError, stringCodec, toMs, type Arg, type Codec, type CommandOpts, type Duration, type Walrus } from '@walrus/core';

/** Options every value-holding container takes. */
export interface ContainerOptions<V> {
  /** How values (hash values, list/set/zset members) are stored. Default {@link stringCodec}. */
  codec?: Codec<V>;
}

/**
 * The base of every container: one Redis key and the commands that work on any key (expiry, dump, delete).
 * Constructors never touch Redis.
 */
export abstract class Container {
  /** The handle the container talks through. */
  readonly db: Walrus;
  /** The name given to the constructor (without the handle's prefix). */
  readonly name: string;
  /** The full Redis key. */
  readonly key: string;
  /** The Redis type the key holds (`TYPE` reply): `hash`, `list`, `set`, `zset` or `string`. */
  abstract readonly redisType: string;

  /** A container named `name`, at `key` (default `db.key(name)`). No I/O. */
  constructor(db: Walrus, name: string, key: string = db.key(name)) {
    this.db = db;
    this.name = name;
    this.key = key;
  }

  /** Sends one command on this container's key, turning WRONGTYPE into a WrongTypeError naming the key. */
  protected cmd<T>(args: Arg[], o: CommandOpts = {}): Promise<T> {
    return this.db.command<T>(args, { key: this.key, type: this.redisType, ...o });
  }

  /** True when the key exists (`EXISTS`). */
  async exists(): Promise<boolean> {
    return (await this.db.command<number>(['EXISTS', this.key], { key: this.key })) === 1;
  }

  /** Deletes the key (`DEL`); true when there was something to delete. */
  async clear(): Promise<boolean> {
    return (await this.db.command<number>(['DEL', this.key], { key: this.key })) === 1;
  }

  /** The value in Redis' serialisation format (`DUMP`), or `undefined` when the key does not exist. */
  async dump(): Promise<Buffer | undefined> {
    const r = await this.db.command<Buffer | null>(['DUMP', this.key], { key: this.key, buffers: true });
    return r ?? undefined;
  }

  /**
   * Expires the key after `ttl` (`PEXPIRE`; a bare number is milliseconds, `'10s'` works too). `Infinity` removes
   * the expiry (`PERSIST`). Resolves to false when the key does not exist.
   */
  async expire(ttl: Duration): Promise<boolean> {
    const ms = toMs(ttl, 'ttl');
    if (ms === Infinity) {
      const [exists, persisted] = await Promise.all([this.exists(), this.persist()]);
      return exists || persisted;
    }
    return (await this.db.command<number>(['PEXPIRE', this.key, String(Math.ceil(ms))], { key: this.key })) === 1;
  }

  /** Alias of {@link Container.expire} with a number of milliseconds (the Python name). */
  pexpire(ms: number): Promise<boolean> {
    return this.expire(ms);
  }

  /** Removes the expiry (`PERSIST`); true when there was one. */
  async persist(): Promise<boolean> {
    return (await this.db.command<number>(['PERSIST', this.key], { key: this.key })) === 1;
  }

  /** Milliseconds left before the key expires (`PTTL`): `null` when it never expires, `undefined` when it does not exist. */
  async ttl(): Promise<number | null | undefined> {
    const ms = await this.db.command<number>(['PTTL', this.key], { key: this.key });
    return ms === -2 ? undefined : ms === -1 ? null : ms;
  }
}

/** A container whose values go through a {@link Codec}. */
export abstract class ValueContainer<V> extends Container {
  /** The codec of the values. */
  readonly codec: Codec<V>;

  /** A container at `db.key(name)` storing values with `o.codec` (default: strings). */
  constructor(db: Walrus, name: string, o: ContainerOptions<V> = {}) {
    super(db, name);
    this.codec = o.codec ?? (stringCodec as unknown as Codec<V>);
    if (!this.codec || typeof this.codec.encode !== 'function' || typeof this.codec.decode !== 'function')
      throw new InvalidArgumentError('codec must have encode() and decode()', { field: 'codec', value: o.codec });
  }

  /** Encodes one value (throws InvalidArgumentError before anything is sent). */
  protected enc(v: V): Arg {
    return this.codec.encode(v);
  }

  /** Decodes one stored value, naming the key on failure. */
  protected dec(raw: string | Buffer): V {
    try {
      return this.codec.decode(raw);
    } catch (err) {
      if (err instanceof DecodeError && err.key === undefined) throw new DecodeError(`${err.message} (key "${this.key}")`, { key: this.key, cause: err });
      throw err;
    }
  }

  /** Decodes a stored value that may be absent (`null` reply) into `V | undefined`. */
  protected decOpt(raw: string | Buffer | null | undefined): V | undefined {
    return raw === null || raw === undefined ? undefined : this.dec(raw);
  }

  /** Whether replies must come back as Buffers (binary codecs). */
  protected get buffers(): boolean {
    return this.codec.binary;
  }
}

/** Reads a stored field name (a Buffer under binary codecs) as a string. */
export function fieldName(raw: string | Buffer): string {
  return typeof raw === 'string' ? raw : raw.toString('utf8');
}

/** Throws InvalidArgumentError unless `v` is a safe integer. */
export function assertInteger(v: unknown, field: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new InvalidArgumentError(`${field} must be an integer, got ${String(v)}`, { field, value: v });
}

/** Throws InvalidArgumentError unless `v` is a finite number. */
export function assertFinite(v: unknown, field: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgumentError(`${field} must be a finite number, got ${String(v)}`, { field, value: v });
}

/** Throws InvalidArgumentError unless `n` is a positive integer. */
export function assertCount(n: unknown, field = 'count'): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${field} must be a positive integer, got ${String(n)}`, { field, value: n });
}

/** Parses a Redis score or float reply (`'3.5'`, `'inf'`, `'-inf'`). */
export function parseScore(raw: string | Buffer | number): number {
  if (typeof raw === 'number') return raw;
  const s = String(raw);
  if (s === 'inf' || s === '+inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
}

/** Maps Redis' "not an integer" replies to an InvalidArgumentError naming the container and the field. */
export function notAnInteger(err: unknown, key: string, field?: string): unknown {
  if (isReplyError(err, 'ERR hash value is not') || isReplyError(err, 'ERR value is not an integer') || isReplyError(err, 'ERR value is not a valid float') || isReplyError(err, 'ERR increment would produce'))
    return new InvalidArgumentError(`${field === undefined ? `"${key}"` : `field "${field}" of "${key}"`}: ${(err as Error).message.replace(/^ERR /, '')}`, { field, cause: err });
  return err;
}

/** Reads `slice(start, end)` pages of `count` (default 1000) until a short page: index-ordered iteration. */
export async function* pages<V>(slice: (start: number, end: number) => Promise<V[]>, count = 1000): AsyncIterableIterator<V> {
  assertCount(count);
  for (let start = 0; ; start += count) {
    const page = await slice(start, start + count);
    yield* page;
    if (page.length < count) return;
  }
}
