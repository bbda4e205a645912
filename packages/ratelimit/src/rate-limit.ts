import { createHash } from 'node:crypto';
import { InvalidArgumentError, RateLimitExceededError, ScriptError, WrongTypeError, toMs, type Duration, type Reply, type Walrus } from '@walrus/core';
import { ALGORITHMS, type AlgorithmSpec, type RateLimitAlgorithm } from './algorithms';

/** The outcome of one decision. */
export interface RateLimitResult {
  /** True when the call was refused (and nothing was recorded). */
  limited: boolean;
  /** Most units that can pass at once: `limit`, or `burst` for token-bucket and gcra. */
  limit: number;
  /** Units that can still pass right now, after this decision. */
  remaining: number;
  /** Milliseconds until the key is back to its full allowance (0 when it already is). */
  resetMs: number;
  /** Milliseconds until a call of the same cost can pass; 0 when this one passed. */
  retryAfterMs: number;
}

/** Options of {@link RateLimit}. */
export interface RateLimitOptions {
  /** Units allowed per `per`. A positive integer; default 5 (as walrus). */
  limit?: number;
  /** The window: a bare number is milliseconds (`'60s'`, `'1m'`, `500`). At least 1 ms; default `'60s'`. */
  per?: Duration;
  /** token-bucket and gcra only: units that may pass at once (the bucket's capacity). Default `limit`. */
  burst?: number;
  /** Allow every call without touching Redis (walrus' `debug`). */
  disabled?: boolean;
  /** Default `'sliding-log'` (walrus' algorithm and key format). */
  algorithm?: RateLimitAlgorithm;
}

/** Options of one decision. */
export interface CheckOptions {
  /** Units this call uses; a positive integer no larger than the limit (or burst). Default 1. */
  cost?: number;
}

/** The policy a limiter enforces, as HTTP middleware reports it. */
export interface RateLimitPolicy {
  readonly algorithm: RateLimitAlgorithm;
  readonly limit: number;
  readonly perMs: number;
  /** Units that may pass at once: `burst` for token-bucket and gcra, else `limit`. */
  readonly capacity: number;
}

const DEFAULTS = { limit: 5, per: '60s' as Duration, algorithm: 'sliding-log' as RateLimitAlgorithm };

function positiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidArgumentError(`${field} must be a positive integer, got ${String(value)}`, { field, value });
  return value;
}

function toResult(r: Reply[]): RateLimitResult {
  const [limited, limit, remaining, resetMs, retryAfterMs] = r.map(Number);
  return { limited: limited === 1, limit, remaining, resetMs, retryAfterMs };
}

function argsKey(args: readonly unknown[]): string {
  let text: string;
  try {
    text = JSON.stringify(args, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch (cause) {
    throw new InvalidArgumentError('rateLimited(): the arguments cannot be serialised into a key; pass a `key` function', { field: 'key', cause });
  }
  return createHash('sha1').update(text).digest('hex');
}

/**
 * A named rate limit: up to `limit` units per `per` for each key (a user, an IP…), decided atomically by one Lua
 * script in one round trip, on Redis' clock. The state of key `k` lives at `<prefix><name>:<k>` (walrus' name,
 * in both hash-tag modes), so each decision touches one key and works on a cluster.
 *
 * ```ts
 * const rl = new RateLimit(db, 'login', { limit: 3, per: '1m', algorithm: 'gcra' });
 * const { limited, retryAfterMs } = await rl.check(ip);
 * ```
 */
export class RateLimit {
  /** What this limiter enforces. */
  readonly policy: RateLimitPolicy;
  /** True when built with `disabled`: every call passes and Redis is never touched. */
  readonly disabled: boolean;
  readonly #db: Walrus;
  readonly #name: string;
  readonly #spec: AlgorithmSpec;
  readonly #perUs: number;

  /** Validates the options (throwing {@link InvalidArgumentError}); does no I/O. */
  constructor(db: Walrus, name: string, o: RateLimitOptions = {}) {
    if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('a rate limit name must be a non-empty string', { field: 'name', value: name });
    const algorithm = o.algorithm ?? DEFAULTS.algorithm;
    const spec = Object.hasOwn(ALGORITHMS, algorithm) ? ALGORITHMS[algorithm] : undefined;
    if (!spec) throw new InvalidArgumentError(`algorithm must be one of ${Object.keys(ALGORITHMS).join(', ')}; got ${String(algorithm)}`, { field: 'algorithm', value: algorithm });
    const limit = positiveInteger('limit', o.limit ?? DEFAULTS.limit);
    const perMs = toMs(o.per ?? DEFAULTS.per, 'per');
    if (!Number.isFinite(perMs) || perMs < 1) throw new InvalidArgumentError(`per must be a finite duration of at least 1 ms, got ${String(o.per)}`, { field: 'per', value: o.per });
    if (o.burst !== undefined && !spec.usesBurst)
      throw new InvalidArgumentError(`burst applies to the token-bucket and gcra algorithms only, not ${algorithm}`, { field: 'burst', value: o.burst });
    const burst = positiveInteger('burst', o.burst ?? limit);
    this.#db = db;
    this.#name = name;
    this.#spec = spec;
    this.#perUs = Math.round(perMs * 1000);
    this.disabled = o.disabled === true;
    this.policy = Object.freeze({ algorithm, limit, perMs, capacity: spec.usesBurst ? burst : limit });
  }

  /** The Redis key holding the state of `key`: `<prefix><name>:<key>`. */
  keyFor(key: string): string {
    if (typeof key !== 'string' || key === '') throw new InvalidArgumentError('a rate-limit key must be a non-empty string', { field: 'key', value: key });
    return this.#db.key(`${this.#name}:${key}`);
  }

  /**
   * Records one call of `key` and returns true when it is limited (walrus' `limit`). A limited call records
   * nothing. One round trip.
   */
  async limit(key: string, o?: CheckOptions): Promise<boolean> {
    return (await this.check(key, o)).limited;
  }

  /** Decides one call of `key`: when allowed it is recorded, when limited nothing is written. One round trip. */
  check(key: string, o?: CheckOptions): Promise<RateLimitResult> {
    return this.#decide(key, o, true);
  }

  /** Says what {@link RateLimit.check} would decide now, without recording anything. One round trip. */
  peek(key: string, o?: CheckOptions): Promise<RateLimitResult> {
    return this.#decide(key, o, false);
  }

  /** Forgets every call recorded for `key`. One round trip. */
  async reset(key: string): Promise<void> {
    const k = this.keyFor(key);
    if (this.disabled) return;
    await this.#db.command(['UNLINK', k]);
  }

  /**
   * Wraps `fn` so that each call is first checked against this limit, keyed by `key(...args)` (default: a hash
   * of the arguments, as walrus). A limited call throws {@link RateLimitExceededError} (its `result` says when to
   * retry) and `fn` is not called.
   */
  rateLimited<A extends unknown[], R>(fn: (...a: A) => R, o: { key?: (...a: A) => string; cost?: number } = {}): (...a: A) => Promise<Awaited<R>> {
    if (typeof fn !== 'function') throw new InvalidArgumentError('rateLimited() wraps a function', { field: 'fn', value: fn });
    if (o.key !== undefined && typeof o.key !== 'function') throw new InvalidArgumentError('key must be a function of the arguments', { field: 'key', value: o.key });
    if (o.cost !== undefined) this.#cost(o.cost);
    const limiter = this;
    return async function (this: unknown, ...args: A): Promise<Awaited<R>> {
      const key = o.key ? o.key(...args) : argsKey(args);
      const result = await limiter.check(key, { cost: o.cost });
      if (result.limited) throw new RateLimitExceededError(result);
      return await fn.apply(this, args);
    };
  }

  #cost(cost: unknown): number {
    const n = positiveInteger('cost', cost);
    if (n > this.policy.capacity)
      throw new InvalidArgumentError(`cost ${n} exceeds the ${this.policy.algorithm} capacity of ${this.policy.capacity}, so the call could never pass`, { field: 'cost', value: cost });
    return n;
  }

  async #decide(key: string, o: CheckOptions | undefined, record: boolean): Promise<RateLimitResult> {
    const k = this.keyFor(key);
    const cost = this.#cost(o?.cost ?? 1);
    const { limit, capacity } = this.policy;
    if (this.disabled) return { limited: false, limit: capacity, remaining: capacity, resetMs: 0, retryAfterMs: 0 };
    const script = record ? this.#spec.check : this.#spec.peek;
    try {
      return toResult(await script.run(this.#db, [k], [limit, this.#perUs, capacity, cost, record ? '1' : '0']));
    } catch (err) {
      if (err instanceof ScriptError && err.reason === 'WRONGTYPE') {
        const actual = err.message.replace(/^.*failed: /s, '');
        throw new WrongTypeError(k, `${this.#spec.redisType} (${this.policy.algorithm})`, actual, { cause: err });
      }
      throw err;
    }
  }
}
