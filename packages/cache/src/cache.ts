import { setTimeout as sleep } from 'node:timers/promises';
import { DecodeError, InvalidArgumentError, Script, WalrusError, jsonCodec, keySlot, type Codec, type Walrus } from '@walrus/core';
import { argsHash } from './args-hash';
import { loadLock, type LeaseLike, type LockLike } from './lock-loader';
import { DROP_IDLE_FENCE } from './lua/drop-idle-fence';
import { READ_WITH_TTL } from './lua/read-with-ttl';
import { Metrics, type CacheMetrics } from './metrics';
import { resolveWrap, swrMs, ttlMs, type CacheOptions, type CachedOptions, type MethodOptions, type Resolved, type SetOptions, type WrapOptions } from './options';
import { SingleFlight, abortable } from './single-flight';

const readWithTtl = new Script('cache-read-with-ttl', READ_WITH_TTL, { readOnly: true, numKeys: 1 });
const dropIdleFence = new Script('cache-drop-idle-fence', DROP_IDLE_FENCE, { numKeys: 2 });

/** What one lookup ended with. */
interface Outcome<V> {
  value: V;
  /** This flight ran the function. */
  computed: boolean;
  /** A stale value was served (a refresh was started). */
  stale: boolean;
}

interface Entry<V> {
  found: boolean;
  value?: V;
  /** Remaining lifetime: -1 = no expiry; only read with a stale window. */
  pttl: number;
}

// Shared by every Cache in the process, keyed by connection, so two Cache objects on one namespace share flights.
const lookups = new SingleFlight<Outcome<unknown>>();
const refreshes = new SingleFlight<void>();
const instanceIds = new WeakMap<object, string>();
const decorated = new WeakMap<Function, { cache: object; key(self: object, args: unknown[]): string }>();

/** A function wrapped by {@link Cache.cached}: same arguments, a Promise of the (cached) result. */
export type CachedFunction<A extends unknown[], R> = ((...args: A) => Promise<R>) & {
  /** Deletes the cached result for these arguments; true if there was one. */
  bust(...args: A): Promise<boolean>;
  /** The cache key (relative to the cache, as `cache.get` takes it) of the result for these arguments. */
  key(...args: A): string;
  /** Hits and misses of this wrapper (they also count in the cache's metrics). */
  readonly metrics: CacheMetrics;
};

/**
 * A TC39 decorator (returned by {@link Cache.method}) for async methods and Promise-returning getters: results are
 * cached per instance and arguments.
 */
export interface CachedMethodDecorator<T> {
  <This extends object, A extends unknown[], R extends T>(
    target: (this: This, ...args: A) => Promise<R>,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => Promise<R>>,
  ): (this: This, ...args: A) => Promise<R>;
  <This extends object, R extends T>(target: (this: This) => Promise<R>, context: ClassGetterDecoratorContext<This, Promise<R>>): (this: This) => Promise<R>;
}

function assertKey(k: unknown, field = 'key'): asserts k is string {
  if (typeof k !== 'string' || k === '') throw new InvalidArgumentError(`${field} must be a non-empty string`, { field, value: k });
}

function classNameOf(self: object): string {
  const name = typeof self === 'function' ? self.name : (self as { constructor?: { name?: string } }).constructor?.name;
  return name || 'Anonymous';
}

function defaultInstanceKey(self: object): string {
  let id = instanceIds.get(self);
  if (id === undefined) instanceIds.set(self, (id = crypto.randomUUID()));
  return id;
}

/**
 * A Redis cache: get/set/delete with TTLs, batch calls in one round trip, memoising wrappers and a method decorator,
 * with stampede protection (single-flight per process, optionally across processes) and stale-while-revalidate.
 * Entries live at `<prefix><name>:<key>`; `null` and `undefined` results are cached too.
 *
 * @example
 * const cache = new Cache<User>(db, { name: 'users', defaultTtl: '5m', staleWhileRevalidate: '30s' });
 * const loadUser = cache.cached(async (id: string) => api.user(id), { name: 'loadUser' });
 * await loadUser('42'); await loadUser.bust('42');
 */
export class Cache<T = unknown> {
  /** The namespace: entries are stored at `<name>:<key>`. */
  readonly name: string;
  /** True in debug mode: reads miss, writes do nothing, wrappers always run the function. */
  readonly disabled: boolean;
  /** The codec values are stored with. */
  readonly codec: Codec<T>;
  /** Default TTL in ms (`null` = no expiry). */
  readonly defaultTtlMs: number | null;
  /** Default stale window in ms (0 = off). */
  readonly staleWhileRevalidateMs: number;
  readonly #metrics = new Metrics();
  readonly #onBackgroundError?: (error: unknown, key: string) => void;

  constructor(
    /** The handle entries are stored through. */
    readonly db: Walrus,
    o: CacheOptions<T> = {},
  ) {
    if (!db || typeof db.command !== 'function') throw new InvalidArgumentError('Cache needs a Walrus handle (connect() or fromClient())', { field: 'db', value: db });
    const name = o.name ?? 'cache';
    assertKey(name, 'name');
    this.name = name;
    this.disabled = o.disabled ?? false;
    this.codec = o.codec ?? jsonCodec<T>();
    if (!this.codec || typeof this.codec.encode !== 'function' || typeof this.codec.decode !== 'function')
      throw new InvalidArgumentError('codec must have encode() and decode()', { field: 'codec', value: o.codec });
    this.defaultTtlMs = ttlMs(o.defaultTtl, 'defaultTtl') ?? null;
    this.staleWhileRevalidateMs = swrMs(o.staleWhileRevalidate, 'staleWhileRevalidate') ?? 0;
    this.#onBackgroundError = o.onBackgroundError;
  }

  /** Hits, misses, writes and stale serves of every call on this cache (wrappers included). */
  get metrics(): CacheMetrics {
    return this.#metrics;
  }

  /** The Redis key of cache key `k`: `<prefix><name>:<k>`. */
  redisKey(k: string): string {
    assertKey(k);
    return this.db.key(`${this.name}:${k}`);
  }

  // ── plain operations ────────────────────────────────────────────────────────────────────────────────────────

  /** The value at `k`, or `undefined` when missing (stale values within the window are returned too). One GET. */
  async get(k: string): Promise<T | undefined> {
    const key = this.redisKey(k);
    if (this.disabled) return undefined;
    const t0 = performance.now();
    const raw = await this.db.command<string | Buffer | null>(['GET', key], { buffers: this.codec.binary });
    if (raw === null) {
      this.#metrics.miss(performance.now() - t0);
      return undefined;
    }
    const value = this.#decode(key, raw);
    this.#metrics.hit(performance.now() - t0);
    return value;
  }

  /**
   * Stores `v` at `k` for `ttl` (default: `defaultTtl`; `null` = no expiry), plus the stale window when the cache
   * has one. One `SET … PX`.
   */
  async set(k: string, v: T, o: SetOptions = {}): Promise<void> {
    const key = this.redisKey(k);
    const px = this.#px(ttlMs(o.ttl, 'ttl'), this.staleWhileRevalidateMs);
    const raw = this.#encode(k, v);
    if (this.disabled) return;
    await this.db.command(['SET', key, raw, ...px]);
    this.#metrics.wrote();
  }

  /** True when `k` holds a value (also a cached `undefined` or `null`). One EXISTS. */
  async has(k: string): Promise<boolean> {
    const key = this.redisKey(k);
    if (this.disabled) return false;
    return (await this.db.command<number>(['EXISTS', key])) === 1;
  }

  /** Deletes `k`; true if it existed. One DEL. */
  async delete(k: string): Promise<boolean> {
    const key = this.redisKey(k);
    if (this.disabled) return false;
    return (await this.db.command<number>(['DEL', key])) === 1;
  }

  /**
   * Milliseconds until `k` turns stale (with a stale window) or expires; `null` when it never expires, `undefined`
   * when it is missing. One PTTL.
   */
  async ttl(k: string): Promise<number | null | undefined> {
    const key = this.redisKey(k);
    if (this.disabled) return undefined;
    const pttl = await this.db.command<number>(['PTTL', key]);
    if (pttl === -2) return undefined;
    if (pttl === -1) return null;
    return Math.max(0, pttl - this.staleWhileRevalidateMs);
  }

  /** The values of the keys that exist (missing ones are left out). One MGET (on a cluster: one per slot, concurrently). */
  async getMany(ks: readonly string[]): Promise<Map<string, T>> {
    const keys = this.#uniqueKeys(ks);
    const out = new Map<string, T>();
    if (this.disabled || keys.length === 0) return out;
    const t0 = performance.now();
    const full = new Map(keys.map((k) => [this.db.key(`${this.name}:${k}`), k] as const));
    const groups = this.#bySlot([...full.keys()]);
    const replies = await Promise.all(groups.map((g) => this.db.command<(string | Buffer | null)[]>(['MGET', ...g], { keys: g, buffers: this.codec.binary })));
    groups.forEach((g, i) =>
      g.forEach((key, j) => {
        const raw = replies[i][j];
        if (raw !== null) out.set(full.get(key)!, this.#decode(key, raw));
      }),
    );
    const ms = performance.now() - t0;
    if (out.size) this.#metrics.hit(ms, out.size);
    if (keys.length > out.size) this.#metrics.miss(ms, keys.length - out.size);
    return out;
  }

  /**
   * Stores every entry with one TTL. All values are encoded before anything is written. One MSET (no TTL) or one
   * MULTI of `SET … PX` (on a cluster: one per slot, concurrently; atomic per slot only).
   */
  async setMany(entries: Record<string, T> | ReadonlyMap<string, T>, o: SetOptions = {}): Promise<void> {
    if (entries === null || typeof entries !== 'object') throw new InvalidArgumentError('setMany takes an object or a Map of entries', { field: 'entries', value: entries });
    const list: [string, T][] = entries instanceof Map ? [...entries] : Object.entries(entries as Record<string, T>);
    const px = this.#px(ttlMs(o.ttl, 'ttl'), this.staleWhileRevalidateMs);
    const encoded = list.map(([k, v]) => [this.redisKey(k), this.#encode(k, v)] as const);
    if (this.disabled || encoded.length === 0) return;
    const groups = this.#bySlot(encoded.map(([key]) => key));
    const raw = new Map(encoded);
    await Promise.all(
      groups.map(async (g) => {
        if (g.length === 1) return this.db.command(['SET', g[0], raw.get(g[0])!, ...px]);
        if (px.length === 0) return this.db.command(['MSET', ...g.flatMap((key) => [key, raw.get(key)!])], { keys: g });
        const tx = this.db.transaction(g[0]);
        for (const key of g) tx.command(['SET', key, raw.get(key)!, ...px]);
        return tx.exec();
      }),
    );
    this.#metrics.wrote(encoded.length);
  }

  /** Deletes the keys; returns how many existed. One DEL (on a cluster: one per slot, concurrently). */
  async deleteMany(ks: readonly string[]): Promise<number> {
    const keys = this.#uniqueKeys(ks);
    if (this.disabled || keys.length === 0) return 0;
    return this.#unlink(keys.map((k) => this.db.key(`${this.name}:${k}`)));
  }

  /** Every key of this cache (relative, as `get` takes them), by SCAN over `<name>:*` on every master. */
  async *keys(o: { signal?: AbortSignal } = {}): AsyncIterableIterator<string> {
    if (this.disabled) return;
    const pattern = `${this.name.replace(/[*?[\]\\]/g, '\\$&')}:*`;
    for await (const k of this.db.scanKeys(pattern, { signal: o.signal })) yield k.slice(this.name.length + 1);
  }

  /** Deletes every entry of this cache, and nothing else; returns how many. SCAN `<name>:*` + DEL in batches. */
  async flush(): Promise<number> {
    if (this.disabled) return 0;
    let removed = 0;
    let batch: string[] = [];
    for await (const k of this.keys()) {
      batch.push(this.db.key(`${this.name}:${k}`));
      if (batch.length >= 500) {
        removed += await this.#unlink(batch);
        batch = [];
      }
    }
    if (batch.length) removed += await this.#unlink(batch);
    return removed;
  }

  // ── computing wrappers ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * The value at `k`, or `compute()`'s result stored there. Concurrent misses of one key run `compute` once per
   * process (once across processes with `distributed`); its errors are not cached and reach every waiter.
   * A hit is one round trip (GET, or one read script with a stale window).
   */
  getOrSet<R extends T>(k: string, compute: () => R | Promise<R>, o: WrapOptions = {}): Promise<R> {
    try {
      const key = this.redisKey(k);
      if (typeof compute !== 'function') throw new InvalidArgumentError('compute must be a function', { field: 'compute', value: compute });
      return this.#lookup(key, k, compute, this.#resolve(o), this.#metrics) as Promise<R>;
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /**
   * Memoises `fn` by its arguments (Python's `@cache.cached`): results are stored at `<name>:<fn>:<argsHash>`.
   * The wrapper has `bust(...args)`, `key(...args)` and its own `metrics`. Returns a Promise even for sync `fn`
   * (which is also the port of Python's `cache_async`).
   */
  cached<A extends unknown[], R extends T>(fn: (...args: A) => R | Promise<R>, o: CachedOptions<A> = {}): CachedFunction<A, R> {
    if (typeof fn !== 'function') throw new InvalidArgumentError('cached() wraps a function', { field: 'fn', value: fn });
    const fnName = o.name ?? fn.name;
    if (typeof fnName !== 'string' || fnName === '') throw new InvalidArgumentError('anonymous functions need a { name } to build their cache keys', { field: 'name', value: o.name });
    if (o.key !== undefined && typeof o.key !== 'function') throw new InvalidArgumentError('key must be a function of the arguments', { field: 'key', value: o.key });
    const resolved = this.#resolve(o);
    const metrics = new Metrics(this.#metrics);
    const keyFn = o.key;
    const keyOf = (...args: A): string => {
      const part = keyFn ? keyFn(...args) : argsHash(args);
      assertKey(part, 'key(...args)');
      return `${fnName}:${part}`;
    };
    const cache = this;
    const wrapper = function (this: unknown, ...args: A): Promise<R> {
      try {
        const rel = keyOf(...args);
        return cache.#lookup(cache.redisKey(rel), rel, () => fn.apply(this, args), resolved, metrics) as Promise<R>;
      } catch (err) {
        return Promise.reject(err as Error);
      }
    };
    Object.defineProperty(wrapper, 'name', { value: fnName });
    return Object.assign(wrapper, {
      bust: async (...args: A) => this.delete(keyOf(...args)),
      key: keyOf,
      metrics: metrics as CacheMetrics,
    });
  }

  /**
   * A TC39 decorator for async methods and Promise getters (Python's `cached_property`): results are stored at
   * `<name>:<Class>.<member>:<instanceKey>:<argsHash>`. `instanceKey` defaults to a per-instance UUID (process-local,
   * like Python's `id()`); give one (e.g. `(u) => u.id`) to share entries across processes. Bust with {@link bust}.
   */
  method(o: MethodOptions = {}): CachedMethodDecorator<T> {
    const resolved = this.#resolve(o);
    const instanceKey = o.instanceKey ?? defaultInstanceKey;
    if (typeof instanceKey !== 'function') throw new InvalidArgumentError('instanceKey must be a function', { field: 'instanceKey', value: o.instanceKey });
    const cache = this;
    const decorator = (target: (...args: unknown[]) => unknown, context: ClassMethodDecoratorContext | ClassGetterDecoratorContext) => {
      const kind: string = context.kind;
      if (kind !== 'method' && kind !== 'getter') throw new InvalidArgumentError(`cache.method() decorates methods and getters, not ${kind}s`, { field: 'kind', value: kind });
      const member = typeof context.name === 'symbol' ? (context.name.description ?? 'symbol') : context.name;
      const metrics = new Metrics(cache.#metrics);
      const key = (self: object, args: unknown[]): string => {
        const id = instanceKey(self);
        assertKey(id, 'instanceKey(self)');
        return `${classNameOf(self)}.${member}:${id}:${argsHash(args)}`;
      };
      const replacement = function (this: object, ...args: unknown[]): Promise<unknown> {
        try {
          const rel = key(this, args);
          return cache.#lookup(cache.redisKey(rel), rel, () => target.apply(this, args) as T, resolved, metrics);
        } catch (err) {
          return Promise.reject(err as Error);
        }
      };
      decorated.set(replacement, { cache, key });
      return replacement;
    };
    return decorator as unknown as CachedMethodDecorator<T>;
  }

  /** Deletes the cached result of decorated `member` of `obj` for `args`; true if there was one. */
  async bust(obj: object, member: string, ...args: unknown[]): Promise<boolean> {
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) throw new InvalidArgumentError('bust() takes the instance whose member was decorated', { field: 'obj', value: obj });
    for (let p: object | null = obj; p !== null; p = Object.getPrototypeOf(p) as object | null) {
      const d = Object.getOwnPropertyDescriptor(p, member);
      if (!d) continue;
      const meta = decorated.get((d.get ?? d.value) as Function);
      if (!meta || meta.cache !== this)
        throw new InvalidArgumentError(`${member} is not a member decorated with this cache's method()`, { field: 'member', value: member });
      return this.delete(meta.key(obj, args));
    }
    throw new InvalidArgumentError(`${classNameOf(obj)} has no member ${member}`, { field: 'member', value: member });
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────────────

  #resolve(o: WrapOptions): Resolved {
    return resolveWrap(o, { ttlMs: this.defaultTtlMs, swrMs: this.staleWhileRevalidateMs });
  }

  /** One call of a computing wrapper: join or start the key's flight, record metrics from this caller's view. */
  async #lookup(key: string, rel: string, compute: () => unknown, o: Resolved, metrics: Metrics): Promise<unknown> {
    o.signal?.throwIfAborted();
    const t0 = performance.now();
    if (this.disabled) {
      const value = await compute();
      metrics.miss(performance.now() - t0);
      return value;
    }
    const { promise, leader } = lookups.join(this.db.client, key, () => this.#load(key, rel, compute, o, metrics));
    promise.catch(() => {});
    let outcome: Outcome<unknown>;
    try {
      outcome = await abortable(promise, o.signal);
    } catch (err) {
      if (leader) metrics.miss(performance.now() - t0);
      throw err;
    }
    const ms = performance.now() - t0;
    if (leader && outcome.computed) metrics.miss(ms);
    else metrics.hit(ms);
    if (leader && outcome.stale) metrics.servedStale();
    return outcome.value;
  }

  /** The leader's work: read; on a fresh hit return it; on a stale hit start a refresh; on a miss compute. */
  async #load(key: string, rel: string, compute: () => unknown, o: Resolved, metrics: Metrics): Promise<Outcome<unknown>> {
    const entry = await this.#read(key, o.swrMs);
    if (entry.found) {
      const stale = o.swrMs > 0 && entry.pttl >= 0 && entry.pttl <= o.swrMs;
      if (stale) this.#refresh(key, rel, compute, o, metrics);
      return { value: entry.value, computed: false, stale };
    }
    if (o.distributed) return this.#computeDistributed(key, rel, compute, o, o.distributed, metrics);
    return { value: await this.#computeAndStore(key, compute, o, metrics), computed: true, stale: false };
  }

  /** GET (or GET + PTTL in one script when a stale window is in use). */
  async #read(key: string, swr: number): Promise<Entry<unknown>> {
    const binary = this.codec.binary;
    if (swr <= 0) {
      const raw = await this.db.command<string | Buffer | null>(['GET', key], { buffers: binary });
      return raw === null ? { found: false, pttl: -2 } : { found: true, value: this.#decode(key, raw), pttl: -1 };
    }
    const [pttl, raw] = await readWithTtl.run(this.db, [key], [], { buffers: binary }) as [number, string | Buffer | null];
    if (raw === null || Number(pttl) === -2) return { found: false, pttl: -2 };
    return { found: true, value: this.#decode(key, raw), pttl: Number(pttl) };
  }

  async #computeAndStore(key: string, compute: () => unknown, o: Resolved, metrics: Metrics): Promise<unknown> {
    const value = await compute();
    const raw = this.#encode(key, value as T);
    await this.db.command(['SET', key, raw, ...this.#px(o.ttlMs, o.swrMs)]);
    metrics.wrote();
    return value;
  }

  /**
   * Cross-process single-flight: the winner of a non-blocking lock re-reads (another process may have just
   * written) and computes; the others poll the key until it appears, the lock frees up (then they try to take
   * it) or `wait` runs out (then they compute anyway).
   */
  async #computeDistributed(key: string, rel: string, compute: () => unknown, o: Resolved, d: { lockTtlMs: number; waitMs: number }, metrics: Metrics): Promise<Outcome<unknown>> {
    const Lock = await loadLock();
    const lock = new Lock(this.db, `${this.name}:${rel}`, { ttl: d.lockTtlMs });
    const deadline = performance.now() + d.waitMs;
    let lease = await lock.acquire({ block: false });
    let delay = 5;
    while (!lease) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 100);
      const entry = await this.#read(key, o.swrMs);
      if (entry.found) return { value: entry.value, computed: false, stale: false };
      lease = await lock.acquire({ block: false });
    }
    try {
      if (lease) {
        const entry = await this.#read(key, o.swrMs);
        if (entry.found) return { value: entry.value, computed: false, stale: false };
      }
      return { value: await this.#computeAndStore(key, compute, o, metrics), computed: true, stale: false };
    } finally {
      if (lease) await this.#release(lock, lease);
    }
  }

  /** Gives the lock back and drops its fencing counter if nobody took the lock since. Failures are ignored. */
  async #release(lock: LockLike, lease: LeaseLike): Promise<void> {
    await lease.release().catch(() => {});
    const { key, fenceKey } = lock;
    if (key && fenceKey && (!this.db.isCluster || keySlot(key) === keySlot(fenceKey))) await dropIdleFence.run(this.db, [key, fenceKey]).catch(() => {});
  }

  /** Starts one background refresh of a stale entry (per process; with `distributed`, per lock holder). */
  #refresh(key: string, rel: string, compute: () => unknown, o: Resolved, metrics: Metrics): void {
    const { promise } = refreshes.join(this.db.client, key, async () => {
      try {
        if (!o.distributed) {
          await this.#computeAndStore(key, compute, o, metrics);
          return;
        }
        const Lock = await loadLock();
        const lock = new Lock(this.db, `${this.name}:${rel}`, { ttl: o.distributed.lockTtlMs });
        const lease = await lock.acquire({ block: false });
        if (!lease) return;
        try {
          const entry = await this.#read(key, o.swrMs);
          if (!entry.found || (entry.pttl >= 0 && entry.pttl <= o.swrMs)) await this.#computeAndStore(key, compute, o, metrics);
        } finally {
          await this.#release(lock, lease);
        }
      } catch (err) {
        this.#onBackgroundError?.(err, rel);
      }
    });
    promise.catch(() => {});
  }

  #encode(key: string, v: T): string | Buffer {
    try {
      return this.codec.encode(v);
    } catch (cause) {
      if (cause instanceof WalrusError) throw cause;
      throw new InvalidArgumentError(`the value for "${key}" cannot be encoded: ${(cause as Error)?.message ?? String(cause)}`, { field: 'value', value: v, cause });
    }
  }

  #decode(key: string, raw: string | Buffer): T {
    try {
      return this.codec.decode(raw);
    } catch (cause) {
      if (cause instanceof DecodeError) throw new DecodeError(`${cause.message} (key "${key}")`, { key, cause });
      throw new DecodeError(`cannot decode the value at "${key}": ${(cause as Error)?.message ?? String(cause)}`, { key, cause });
    }
  }

  /** `PX` arguments for a TTL plus a stale window; none for no expiry. */
  #px(ttl: number | null | undefined, swr: number): string[] {
    const ms = ttl === undefined ? this.defaultTtlMs : ttl;
    return ms === null ? [] : ['PX', String(ms + swr)];
  }

  #uniqueKeys(ks: readonly string[]): string[] {
    if (!Array.isArray(ks)) throw new InvalidArgumentError('expected an array of keys', { field: 'keys', value: ks });
    for (const k of ks) assertKey(k);
    return [...new Set(ks)];
  }

  /** Splits full keys into one group per cluster slot; one group when standalone. */
  #bySlot(keys: string[]): string[][] {
    if (!this.db.isCluster) return [keys];
    const groups = new Map<number, string[]>();
    for (const k of keys) {
      const slot = keySlot(k);
      const g = groups.get(slot);
      if (g) g.push(k);
      else groups.set(slot, [k]);
    }
    return [...groups.values()];
  }

  async #unlink(fullKeys: string[]): Promise<number> {
    const groups = this.#bySlot(fullKeys);
    const counts = await Promise.all(groups.map((g) => this.db.command<number>(['DEL', ...g], { keys: g })));
    return counts.reduce((a, b) => a + Number(b), 0);
  }
}
