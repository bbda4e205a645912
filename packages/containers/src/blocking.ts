import { InvalidArgumentError, assertSameSlot, toMs, type Arg, type Duration, type Walrus } from '@walrus/core';
import { wrongTypeAmong } from './multi-key';

/** Options of blocking pops. */
export interface Block {
  /** How long to wait: a bare number is milliseconds; `Infinity` (default) waits forever; `0` does not wait at all. */
  timeout?: Duration;
  /** Aborting ends the wait: the dedicated connection is destroyed and the call rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A list end. */
export type Side = 'left' | 'right';

/** The ends a list move takes from and pushes to. */
export interface Sides {
  /** The end of the source list to take from. Default `'right'` (as RPOPLPUSH). */
  from?: Side;
  /** The end of the destination list to push to. Default `'left'` (as RPOPLPUSH). */
  to?: Side;
}

/** `LEFT`/`RIGHT` for a side, validated. */
export function sideWord(side: unknown, field: string, fallback: Side): string {
  const s = side ?? fallback;
  if (s !== 'left' && s !== 'right') throw new InvalidArgumentError(`${field} must be 'left' or 'right', got ${String(side)}`, { field, value: side });
  return s.toUpperCase();
}

/** Redis' blocking timeout (seconds, `0` = forever) for a wait in milliseconds; `undefined` for "do not wait". */
function redisTimeout(o: Block): string | undefined {
  const ms = toMs(o.timeout ?? Infinity, 'timeout');
  if (ms === 0) return undefined;
  if (ms === Infinity) return '0';
  return String(Math.max(1, Math.ceil(ms)) / 1000);
}

/**
 * Runs a blocking command on a dedicated connection, or its non-blocking twin on the shared one when the
 * timeout is 0. Resolves to the reply and whether the blocking form ran. A WRONGTYPE reply becomes a
 * WrongTypeError naming the first of `sources` holding another type than `expected`.
 */
export async function blockingCall<T>(
  db: Walrus,
  o: Block,
  c: { blocking: (timeout: string) => Arg[]; immediate: Arg[]; key: string; keys: string[]; sources: string[]; expected: string; buffers?: boolean },
): Promise<{ reply: T; blocked: boolean }> {
  o.signal?.throwIfAborted();
  const timeout = redisTimeout(o);
  assertSameSlot(db, c.keys);
  try {
    if (timeout === undefined) return { reply: await db.command<T>(c.immediate, { key: c.key, keys: c.keys, buffers: c.buffers }), blocked: false };
    const reply = await db.blocking((conn) => conn.command<T>(c.blocking(timeout), { key: c.key, buffers: c.buffers }), { signal: o.signal });
    return { reply, blocked: true };
  } catch (err) {
    throw await wrongTypeAmong(db, err, c.sources, c.expected);
  }
}
