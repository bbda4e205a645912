import { randomUUID } from 'node:crypto';
import { BlockingPool } from './blocking';
import { closeClient, isClusterClient, masterClients, send, type AnyClient } from './driver';
import { CrossSlotError, InvalidArgumentError, WrongTypeError, isReplyError } from './errors';
import { Keyspace } from './keyspace';
import { normalizeReply } from './reply';
import { parseServerInfo, type ServerInfo } from './server';
import { keySlot } from './slot';
import type { Arg, RedisClientLike, RedisClusterLike, Reply } from './types';

/** Options every handle takes. */
export interface WalrusOptions {
  /** Added in front of every key and stripped from SCAN results. Default `''`. */
  prefix?: string;
  /** Wrap structure names in `{}` so each structure's keys share a cluster slot. Default `true`. */
  hashTag?: boolean;
  /** Most duplicate connections lent to blocking commands at once; more callers queue. Default 8. */
  maxBlockingConnections?: number;
}

/** Options of {@link Walrus.command}. */
export interface CommandOpts {
  /** The key that routes the command on a cluster. Default: `args[1]`. */
  key?: Arg;
  /** Every key the command touches; on a cluster they must share a slot or {@link CrossSlotError} is thrown unsent. */
  keys?: readonly Arg[];
  /** Route to a replica when the cluster client reads from replicas. */
  readonly?: boolean;
  /** Return bulk strings as Buffers. */
  buffers?: boolean;
  /** The Redis type the routing key must hold: a WRONGTYPE reply becomes a {@link WrongTypeError} naming it. */
  type?: string;
}

/** A MULTI/EXEC batch routed to one slot. */
export interface Transaction {
  /** Queues a raw command (keys as for {@link Walrus.command}). */
  command(args: Arg[], o?: { key?: Arg; keys?: readonly Arg[] }): this;
  /** Queues a Lua script (sent as EVAL: a script cache miss cannot be retried inside EXEC). */
  script(s: { queue(tx: Transaction, keys: string[], args?: unknown[]): Transaction }, keys: string[], args?: unknown[]): this;
  /** Number of queued commands. */
  readonly length: number;
  /** Runs the batch atomically; resolves to one normalised reply per command (bulk strings as strings). */
  exec(): Promise<Reply[]>;
}

/** A connection lent by {@link Walrus.blocking}. */
export interface BlockingConnection {
  command<T = Reply>(args: Arg[], o?: { key?: Arg; buffers?: boolean }): Promise<T>;
}

interface Shared {
  client: AnyClient;
  owned: boolean;
  pool: BlockingPool;
  server?: Promise<ServerInfo>;
  closed: boolean;
}

/** Throws {@link CrossSlotError} when `keys` do not all hash to one slot (cluster handles only). */
export function assertSameSlot(db: Walrus, keys: readonly Arg[]): void {
  if (!db.isCluster || keys.length < 2) return;
  const slot = keySlot(keys[0]);
  if (keys.some((k) => keySlot(k) !== slot)) throw new CrossSlotError(keys.map(String));
}

async function asWrongType(db: Walrus, err: unknown, key: Arg | undefined, expected: string | undefined): Promise<unknown> {
  if (!expected || key === undefined || !isReplyError(err, 'WRONGTYPE')) return err;
  const actual = String(await db.command(['TYPE', key], { key }));
  return new WrongTypeError(String(key), expected, actual, { cause: err });
}

function toCrossSlot(err: unknown, keys: readonly Arg[]): unknown {
  return isReplyError(err, 'CROSSSLOT') ? new CrossSlotError(keys.map(String), { cause: err }) : err;
}

/**
 * The handle every @walrus package takes: one client (or cluster), a key prefix, the hash-tag policy, the Lua
 * runner's transport, a pool of connections for blocking commands and server detection. Make one with
 * `connect()` or `fromClient()`.
 */
export class Walrus implements AsyncDisposable {
  /** The node-redis client or cluster underneath. */
  readonly client: RedisClientLike | RedisClusterLike;
  /** True over a Redis Cluster. */
  readonly isCluster: boolean;
  /** Added in front of every key. */
  readonly prefix: string;
  /** Default hash-tag policy of structures built on this handle. */
  readonly hashTag: boolean;
  readonly #shared: Shared;
  readonly #root: boolean;

  /** @internal Use `connect()` or `fromClient()`. */
  constructor(shared: Shared, o: { prefix: string; hashTag: boolean }, root: boolean) {
    this.#shared = shared;
    this.#root = root;
    this.client = shared.client;
    this.isCluster = isClusterClient(shared.client);
    this.prefix = o.prefix;
    this.hashTag = o.hashTag;
  }

  /** @internal */
  static create(client: AnyClient, owned: boolean, o: WalrusOptions = {}): Walrus {
    const max = o.maxBlockingConnections ?? 8;
    if (!Number.isInteger(max) || max < 1) throw new InvalidArgumentError('maxBlockingConnections must be a positive integer', { field: 'maxBlockingConnections', value: max });
    if (o.prefix !== undefined && typeof o.prefix !== 'string') throw new InvalidArgumentError('prefix must be a string', { field: 'prefix', value: o.prefix });
    return new Walrus({ client, owned, pool: new BlockingPool(client, max), closed: false }, { prefix: o.prefix ?? '', hashTag: o.hashTag ?? true }, true);
  }

  /** `prefix + name`. Empty names throw {@link InvalidArgumentError}. */
  key(name: string): string {
    if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('a key name must be a non-empty string', { field: 'name', value: name });
    return this.prefix + name;
  }

  /** The key builder of one structure instance (see {@link Keyspace}). */
  keyspace(name: string, o?: { hashTag?: boolean }): Keyspace {
    return new Keyspace(this.prefix, name, o?.hashTag ?? this.hashTag);
  }

  /** A handle on the same connection whose keys all live under `{tag}:`, i.e. in one cluster slot. */
  group(tag: string): Walrus {
    if (typeof tag !== 'string' || tag === '' || /[{}]/.test(tag)) throw new InvalidArgumentError('a group tag must be a non-empty string without braces', { field: 'tag', value: tag });
    return new Walrus(this.#shared, { prefix: `${this.prefix}{${tag}}:`, hashTag: this.hashTag }, false);
  }

  /** Sends one command and returns its normalised reply (same shape on node-redis 5/6, RESP2/3). */
  async command<T = Reply>(args: Arg[], o: CommandOpts = {}): Promise<T> {
    const key = o.key ?? args[1];
    if (o.keys) assertSameSlot(this, o.keys);
    try {
      return normalizeReply(await send(this.client, args, key, o.readonly ?? false, o.buffers ?? false)) as T;
    } catch (err) {
      throw toCrossSlot(await asWrongType(this, err, key, o.type), o.keys ?? args.slice(1, 3));
    }
  }

  /** A MULTI/EXEC batch routed by `routingKey`; on a cluster every key must share its slot. */
  transaction(routingKey: Arg): Transaction {
    const db = this;
    const queued: { args: Arg[]; key: Arg | undefined }[] = [];
    const keys: Arg[] = [routingKey];
    const tx: Transaction = {
      command(args, o = {}) {
        queued.push({ args, key: o.key ?? args[1] });
        keys.push(...(o.keys ?? (args[1] !== undefined ? [o.key ?? args[1]] : [])));
        return tx;
      },
      script(s, scriptKeys, args) {
        s.queue(tx, scriptKeys, args);
        return tx;
      },
      get length() {
        return queued.length;
      },
      async exec() {
        if (queued.length === 0) return [];
        assertSameSlot(db, keys);
        const c = db.client;
        const multi = isClusterClient(c) ? c.multi(routingKey) : c.multi();
        for (const q of queued) {
          if (isClusterClient(c)) (multi as ReturnType<RedisClusterLike['multi']>).addCommand(q.key ?? routingKey, false, q.args);
          else (multi as ReturnType<RedisClientLike['multi']>).addCommand(q.args);
        }
        try {
          const replies = await multi.exec();
          return replies.map((r) => stringify(normalizeReply(r)));
        } catch (err) {
          const first = (err as { replies?: unknown[]; errorIndexes?: number[] }).errorIndexes?.[0];
          const cause = first !== undefined ? (err as { replies: unknown[] }).replies[first] : err;
          throw toCrossSlot(cause, keys);
        }
      },
    };
    return tx;
  }

  /**
   * Lends a dedicated connection for blocking commands (BLPOP, XREAD BLOCK…) so they never stall other
   * commands. Aborting `signal` destroys the connection and rejects with `signal.reason`.
   */
  async blocking<T>(fn: (c: BlockingConnection) => Promise<T>, o: { signal?: AbortSignal } = {}): Promise<T> {
    const { signal } = o;
    signal?.throwIfAborted();
    const pool = this.#shared.pool;
    const conn = await pool.acquire(signal);
    if (signal?.aborted) {
      pool.release(conn);
      throw signal.reason;
    }
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        pool.discard(conn);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    const api: BlockingConnection = {
      command: async <R>(args: Arg[], co: { key?: Arg; buffers?: boolean } = {}) =>
        normalizeReply(await send(conn, args, co.key ?? args[1], false, co.buffers ?? false)) as R,
    };
    const work = fn(api);
    work.catch(() => {});
    try {
      return await (signal ? Promise.race([work, aborted]) : work);
    } finally {
      if (signal && onAbort) signal.removeEventListener('abort', onAbort);
      if (!signal?.aborted) pool.release(conn);
    }
  }

  /** The server's flavour, version and capabilities, from one memoised `INFO server`. */
  server(): Promise<ServerInfo> {
    this.#shared.server ??= this.command<string>(['INFO', 'server']).then(
      (text) => parseServerInfo(String(text)),
      () => parseServerInfo(undefined),
    );
    return this.#shared.server;
  }

  /** Iterates keys under this handle's prefix matching `pattern` (SCAN on every master), prefix stripped. */
  async *scanKeys(pattern = '*', o: { count?: number; type?: string; signal?: AbortSignal } = {}): AsyncIterableIterator<string> {
    const match = this.prefix.replace(/[*?[\]\\]/g, '\\$&') + pattern;
    for (const node of await masterClients(this.client)) {
      let cursor = '0';
      do {
        if (o.signal?.aborted) return;
        const args = ['SCAN', cursor, 'MATCH', match, 'COUNT', String(o.count ?? 1000)];
        if (o.type) args.push('TYPE', o.type);
        const [next, keys] = normalizeReply(await send(node, args, undefined, true, false)) as [string, string[]];
        cursor = String(next);
        for (const k of keys) yield String(k).slice(this.prefix.length);
      } while (cursor !== '0');
    }
  }

  /** A fresh temporary key: `prefix + 'temp.' + uuid`. */
  tempKey(): string {
    return `${this.prefix}temp.${randomUUID()}`;
  }

  /** True once `close()` ran on the handle that owns the connections. */
  get closed(): boolean {
    return this.#shared.closed;
  }

  /**
   * Closes every connection @walrus opened (blocking duplicates, and the client if `connect()` made it).
   * A client given to `fromClient()` stays open. Handles from `group()` share their parent's connections
   * and close nothing.
   */
  async close(): Promise<void> {
    if (!this.#root || this.#shared.closed) return;
    this.#shared.closed = true;
    await this.#shared.pool.close();
    if (this.#shared.owned) await closeClient(this.client);
  }

  /** Same as {@link Walrus.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function stringify(r: Reply): Reply {
  if (Buffer.isBuffer(r)) return r.toString('utf8');
  if (Array.isArray(r)) return r.map(stringify);
  return r;
}

/** A fresh temporary key of a handle: `prefix + 'temp.' + randomUUID()`. */
export function tempKey(db: Walrus): string {
  return db.tempKey();
}
