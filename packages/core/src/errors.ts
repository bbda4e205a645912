/** The base class of every error @walrus raises; catch by class, read `code` and the context fields. */
export class WalrusError extends Error {
  /** A stable machine-readable code, `ERR_<NAME>`. */
  readonly code: string;
  constructor(message: string, o?: { cause?: unknown; code?: string }) {
    super(message, o?.cause === undefined ? undefined : { cause: o.cause });
    this.name = new.target.name;
    this.code = o?.code ?? `ERR_${new.target.name.replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
  }
}

/** An argument was rejected before anything was sent to Redis. */
export class InvalidArgumentError extends WalrusError {
  readonly field?: string;
  readonly value?: unknown;
  constructor(message: string, o?: { field?: string; value?: unknown; cause?: unknown }) {
    super(message, o);
    this.field = o?.field;
    this.value = o?.value;
  }
}

/** A model field value failed validation; names the field and the value. */
export class ValidationError extends InvalidArgumentError {
  declare readonly field: string;
  constructor(message: string, o: { field: string; value: unknown; cause?: unknown }) {
    super(message, o);
  }
}

/** A key holds another Redis type than the operation needs. */
export class WrongTypeError extends WalrusError {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
    o?: { cause?: unknown },
  ) {
    super(`key "${key}" holds a ${actual}, expected a ${expected}`, o);
  }
}

/** A key, record, group or document that the operation needs does not exist. */
export class NotFoundError extends WalrusError {
  readonly key?: string;
  constructor(message: string, o?: { key?: string; cause?: unknown }) {
    super(message, o);
    this.key = o?.key;
  }
}

/** A query that must match one record matched several. */
export class MultipleResultsError extends WalrusError {
  constructor(readonly count: number) {
    super(`expected one result, got ${count}`);
  }
}

/** An optimistic write kept finding the stored state changed under it. */
export class ConflictError extends WalrusError {
  constructor(
    readonly key: string,
    o?: { cause?: unknown; attempts?: number },
  ) {
    super(`"${key}" kept changing during the write${o?.attempts ? ` (${o.attempts} attempts)` : ''}; nothing was written`, o);
  }
}

/** A multi-key operation on a cluster names keys in different hash slots; nothing was sent. */
export class CrossSlotError extends WalrusError {
  constructor(
    readonly keys: readonly string[],
    o?: { cause?: unknown },
  ) {
    super(
      `keys ${keys.map((k) => `"${k}"`).join(', ')} hash to different cluster slots; put them under one hash tag (db.group(tag) or a {tag} in their names)`,
      o,
    );
  }
}

/** Malformed input to a parser; `position` is the 0-based offset of the problem. */
export class ParseError extends WalrusError {
  constructor(
    readonly input: string,
    readonly position: number,
    readonly expected: string,
    o?: { cause?: unknown },
  ) {
    super(`${expected} at position ${position}: ${JSON.stringify(input.slice(0, position))} >>> ${JSON.stringify(input.slice(position))}`, o);
  }
}

/** A Lua script failed. `reason` carries the code of a `WALRUS_<CODE> message` error raised on purpose. */
export class ScriptError extends WalrusError {
  readonly reason?: string;
  constructor(
    readonly script: string,
    readonly sha: string,
    message: string,
    o?: { cause?: unknown; reason?: string },
  ) {
    super(`script ${script} (${sha.slice(0, 12)}) failed: ${message}`, o);
    this.reason = o?.reason;
  }
}

/** A stored value could not be decoded by the codec in use. */
export class DecodeError extends WalrusError {
  readonly key?: string;
  constructor(message: string, o?: { key?: string; cause?: unknown }) {
    super(message, o);
    this.key = o?.key;
  }
}

/** The server or the installation lacks something the call needs (an old Redis, a missing optional package). */
export class UnsupportedError extends WalrusError {
  constructor(
    readonly capability: string,
    message: string,
    o?: { cause?: unknown },
  ) {
    super(message, o);
  }
}

/** Thrown by rate-limited wrappers when the caller is limited; `result` says when to retry. */
export class RateLimitExceededError extends WalrusError {
  constructor(
    readonly result: { limited: boolean; limit: number; remaining: number; resetMs: number; retryAfterMs: number },
    message = `rate limit exceeded; retry in ${result.retryAfterMs} ms`,
  ) {
    super(message);
  }
}

/**
 * A lock was released or extended by a caller that does not hold it. The lock's name is `lockName`
 * (`name` stays the error class name, as on every Error).
 */
export class LockNotOwnedError extends WalrusError {
  constructor(readonly lockName: string) {
    super(`lock "${lockName}" is not held by this owner`);
  }
}

/** A lock could not be acquired within the time allowed; names the lock (`lockName`) and the wait. */
export class LockTimeoutError extends WalrusError {
  constructor(
    readonly lockName: string,
    readonly waitedMs: number,
  ) {
    super(`lock "${lockName}" was not acquired within ${waitedMs} ms`);
  }
}

/** True when `err` is a Redis error reply starting with `prefix` (e.g. `WRONGTYPE`, `NOSCRIPT`). */
export function isReplyError(err: unknown, prefix: string): boolean {
  // Duck-typed: errors from another realm (vm contexts, test sandboxes) fail `instanceof Error`.
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && !(err instanceof WalrusError) && message.startsWith(prefix);
}
