import { InvalidArgumentError, toMs, type Duration } from '@walrus/core';

/** How an acquire call waits. */
export interface AcquireOptions {
  /** Wait while the lock is busy (default `true`). `false` tries once, like `timeout: 0`. */
  block?: boolean;
  /** The longest wait (default `Infinity`); the call resolves `null` when it runs out. `0` tries once. */
  timeout?: Duration;
  /** Ends the wait: the call rejects with `signal.reason` and leaves nothing behind in Redis. */
  signal?: AbortSignal;
}

/** An acquire call's options, validated: `waitMs` is 0 (try once), a number of ms, or `Infinity`. */
export interface ParsedAcquire {
  waitMs: number;
  signal?: AbortSignal;
}

/** Validates {@link AcquireOptions} before anything is sent. */
export function parseAcquire(o: AcquireOptions | undefined): ParsedAcquire {
  if (o === undefined || o === null) return { waitMs: Infinity };
  if (typeof o !== 'object') throw new InvalidArgumentError('acquire options must be an object', { field: 'options', value: o });
  if (o.block !== undefined && typeof o.block !== 'boolean') throw new InvalidArgumentError('block must be a boolean', { field: 'block', value: o.block });
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new InvalidArgumentError('signal must be an AbortSignal', { field: 'signal', value: o.signal });
  const timeout = o.timeout === undefined ? Infinity : toMs(o.timeout, 'timeout');
  return { waitMs: o.block === false ? 0 : timeout, signal: o.signal };
}

/**
 * A time-to-live in whole milliseconds (fractions round up). `null`, `undefined` and `Infinity` mean "no TTL"
 * where `nullable`; less than 1 ms is refused.
 */
export function parseTtl(value: Duration | null | undefined, field: string, nullable: boolean): number | null {
  if ((value === null || value === undefined || value === Infinity) && nullable) return null;
  if (value === null || value === undefined) throw new InvalidArgumentError(`${field} is required`, { field, value });
  const ms = toMs(value, field);
  if (!Number.isFinite(ms) || ms < 1) throw new InvalidArgumentError(`${field} must be at least 1 ms and finite, got ${String(value)}`, { field, value });
  return Math.ceil(ms);
}

/** The auto-extend period in ms (`null`: off). It needs a TTL and must be shorter than it; default `ttl / 3`. */
export function parseAutoExtend(value: boolean | { every?: Duration } | undefined, ttl: number | null): number | null {
  if (value === undefined || value === false) return null;
  if (value !== true && (typeof value !== 'object' || value === null))
    throw new InvalidArgumentError('autoExtend must be a boolean or { every }', { field: 'autoExtend', value });
  if (ttl === null) throw new InvalidArgumentError('autoExtend needs a ttl: a lock without one never expires', { field: 'autoExtend', value });
  const every = value === true || value.every === undefined ? Math.max(1, Math.floor(ttl / 3)) : toMs(value.every, 'autoExtend.every');
  if (!(every > 0) || every >= ttl)
    throw new InvalidArgumentError(`autoExtend.every must be more than 0 and less than the ttl (${ttl} ms)`, { field: 'autoExtend.every', value: every });
  return every;
}

/** Validates a structure name. */
export function parseName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('a lock or semaphore name must be a non-empty string', { field: 'name', value: name });
  return name;
}
