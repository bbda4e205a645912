import { InvalidArgumentError, toMs, type Codec, type Duration } from '@walrus/core';

/** Options of {@link Cache}'s constructor. */
export interface CacheOptions<T> {
  /** Namespace of the cache: entries are stored at `<name>:<key>`. Default `'cache'`. */
  name?: string;
  /** TTL of entries written without one; `null` (the default) keeps them until deleted. */
  defaultTtl?: Duration | null;
  /** How values are stored. Default: JSON (`null` and `undefined` round-trip). */
  codec?: Codec<T>;
  /**
   * (beyond) Serve an expired value for this long after its TTL while one caller refreshes it in the background.
   * Default 0 (off).
   */
  staleWhileRevalidate?: Duration;
  /** Debug mode (Python's `debug`): reads miss, writes do nothing, wrappers always run the function. */
  disabled?: boolean;
  /** Called with errors of background refreshes (stale-while-revalidate), which no caller awaits. */
  onBackgroundError?: (error: unknown, key: string) => void;
}

/** Options of {@link Cache.set} and {@link Cache.setMany}. */
export interface SetOptions {
  /** Time to live; `null` = never expires; omitted = the cache's `defaultTtl`. */
  ttl?: Duration | null;
}

/** Distributed single-flight settings (needs the optional peer `@walrus/lock`). */
export interface DistributedOptions {
  /** TTL of the lock the computing process holds; a crashed holder is replaced after it. Default `'10s'`. */
  lockTtl?: Duration;
  /** How long other processes wait for the holder's value before computing anyway. Default: `lockTtl`. */
  wait?: Duration;
}

/** Options of {@link Cache.getOrSet}, {@link Cache.cached} and {@link Cache.method}. */
export interface WrapOptions {
  /** Time to live of computed values; `null` = never expires; omitted = the cache's `defaultTtl`. */
  ttl?: Duration | null;
  /** (beyond) Stale window for this call or wrapper; omitted = the cache's `staleWhileRevalidate`. */
  staleWhileRevalidate?: Duration;
  /** Stops this caller's wait (rejecting with `signal.reason`); a computation others share goes on. */
  signal?: AbortSignal;
  /**
   * (beyond) Compute once across processes: the process that wins a non-blocking `@walrus/lock` Lock computes,
   * the others wait for its value.
   */
  distributed?: boolean | DistributedOptions;
}

/** Options of {@link Cache.cached}. */
export interface CachedOptions<A extends unknown[]> extends WrapOptions {
  /** Builds the `<argsKey>` part of the entry key from the arguments. Default: SHA-1 of the canonical JSON of the arguments. */
  key?: (...args: A) => string;
  /** The `<fn>` part of the entry key. Default: the function's name (required for anonymous functions). */
  name?: string;
}

/** Options of {@link Cache.method}. */
export interface MethodOptions extends WrapOptions {
  /** Identifies the instance in entry keys. Default: a random UUID per instance, kept for the process' life. */
  instanceKey?: (self: object) => string;
}

/** Wrap options after validation. @internal */
export interface Resolved {
  /** Milliseconds until stale, or null for no expiry. */
  ttlMs: number | null;
  /** Milliseconds of the stale window (0 = off). */
  swrMs: number;
  distributed: { lockTtlMs: number; waitMs: number } | null;
  signal?: AbortSignal;
}

/** Validates a TTL: `null`/`Infinity` = no expiry, else at least 1 ms (rounded to whole ms). @internal */
export function ttlMs(d: Duration | null | undefined, field: string): number | null | undefined {
  if (d === undefined) return undefined;
  if (d === null) return null;
  const ms = toMs(d, field);
  if (ms === Infinity) return null;
  const whole = Math.round(ms);
  if (whole < 1) throw new InvalidArgumentError(`${field} must be at least 1 ms (or null for no expiry), got ${JSON.stringify(d)}`, { field, value: d });
  return whole;
}

/** Validates a stale window: a finite duration, 0 = off. @internal */
export function swrMs(d: Duration | undefined, field: string): number | undefined {
  if (d === undefined) return undefined;
  const ms = toMs(d, field);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`${field} must be finite`, { field, value: d });
  return Math.round(ms);
}

/** Validates wrap options against the cache's defaults. @internal */
export function resolveWrap(o: WrapOptions, defaults: { ttlMs: number | null; swrMs: number }): Resolved {
  if (o === null || typeof o !== 'object') throw new InvalidArgumentError('options must be an object', { value: o });
  const ttl = ttlMs(o.ttl, 'ttl');
  const swr = swrMs(o.staleWhileRevalidate, 'staleWhileRevalidate');
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new InvalidArgumentError('signal must be an AbortSignal', { field: 'signal', value: o.signal });
  return { ttlMs: ttl === undefined ? defaults.ttlMs : ttl, swrMs: swr ?? defaults.swrMs, distributed: resolveDistributed(o.distributed), signal: o.signal };
}

function resolveDistributed(d: WrapOptions['distributed']): Resolved['distributed'] {
  if (d === undefined || d === false) return null;
  const o: DistributedOptions = d === true ? {} : d;
  if (o === null || typeof o !== 'object') throw new InvalidArgumentError('distributed must be a boolean or { lockTtl?, wait? }', { field: 'distributed', value: d });
  const lockTtlMs = ttlMs(o.lockTtl ?? '10s', 'distributed.lockTtl');
  if (lockTtlMs === null || lockTtlMs === undefined) throw new InvalidArgumentError('distributed.lockTtl must be a finite duration', { field: 'distributed.lockTtl', value: o.lockTtl });
  const waitMs = o.wait === undefined ? lockTtlMs : toMs(o.wait, 'distributed.wait');
  return { lockTtlMs, waitMs };
}
