import { InvalidArgumentError, type Arg } from '@walrus/core';

/**
 * A score bound: a number (inclusive), `{ value, exclusive: true }`, or `null` for -inf (as min) / +inf (as max).
 * `Infinity` and `-Infinity` are accepted as bounds.
 */
export type Score = number | { value: number; exclusive?: boolean } | null;

/**
 * A lexicographical bound on the stored bytes of members: a string or Buffer (inclusive), `{ value, exclusive: true }`,
 * or `null` for the lowest (as min) / highest (as max) member.
 */
export type Lex = string | Buffer | { value: string | Buffer; exclusive?: boolean } | null;

/** Options of sorted-set range reads. */
export interface Range {
  /** Highest first. Bounds are still given as `(min, max)`. */
  reverse?: boolean;
  /** Skip `offset` matches and return at most `count` (score and lex ranges only). */
  limit?: { offset: number; count: number };
  /** Return `[member, score]` pairs instead of members. */
  withScores?: boolean;
}

/** Options of a rank slice ({@link ZSet.slice}): no `limit`, since a slice already is one. */
export type SliceOptions = Omit<Range, 'limit'>;

/** Options of a lex range: Redis has no scores with BYLEX. */
export type LexRangeOptions = Omit<Range, 'withScores'>;

/** Formats a score for ZADD/ZINCRBY: finite numbers only. */
export function scoreValue(n: unknown, field = 'score'): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new InvalidArgumentError(`${field} must be a finite number, got ${String(n)}`, { field, value: n });
  return String(n);
}

function boundNumber(n: unknown, field: string): string {
  if (typeof n !== 'number' || Number.isNaN(n)) throw new InvalidArgumentError(`${field} must be a number, got ${String(n)}`, { field, value: n });
  return n === Infinity ? '+inf' : n === -Infinity ? '-inf' : String(n);
}

/** The ZRANGEBYSCORE form of a score bound: `1.5`, `(1.5`, `-inf`, `+inf`. */
export function scoreBound(b: Score, side: 'min' | 'max'): string {
  if (b === null || b === undefined) return side === 'min' ? '-inf' : '+inf';
  if (typeof b === 'object') return `${b.exclusive ? '(' : ''}${boundNumber(b.value, side)}`;
  return boundNumber(b, side);
}

function lexText(v: unknown, side: string): string | Buffer {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v;
  throw new InvalidArgumentError(`${side} must be a string, a Buffer or { value, exclusive }, got ${typeof v}`, { field: side, value: v });
}

/** The ZRANGEBYLEX form of a lex bound: `[a`, `(a`, `-`, `+`. */
export function lexBound(b: Lex, side: 'min' | 'max'): Arg {
  if (b === null || b === undefined) return side === 'min' ? '-' : '+';
  const [value, exclusive] = typeof b === 'object' && !Buffer.isBuffer(b) ? [lexText(b.value, side), b.exclusive] : [lexText(b, side), false];
  const mark = exclusive ? '(' : '[';
  return typeof value === 'string' ? mark + value : Buffer.concat([Buffer.from(mark), value]);
}

function rankIndex(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new InvalidArgumentError(`${field} must be an integer index, got ${String(v)}`, { field, value: v });
  return v;
}

/**
 * Converts `Array.prototype.slice` bounds (exclusive end, negatives from the end) to the inclusive
 * `[start, stop]` of LRANGE/ZRANGE/LTRIM, or `null` when the slice is empty whatever the length (`end === 0`).
 */
export function sliceRange(start: number = 0, end?: number): [string, string] | null {
  const s = rankIndex(start, 'start');
  if (end === undefined) return [String(s), '-1'];
  const e = rankIndex(end, 'end');
  if (e === 0) return null;
  return [String(s), String(e - 1)];
}

/** The trailing `[REV] [LIMIT o c] [WITHSCORES]` words of a ZRANGE. */
export function rangeWords(o: Range, by?: 'BYSCORE' | 'BYLEX'): string[] {
  const words: string[] = by ? [by] : [];
  if (o.reverse) words.push('REV');
  if (o.limit) {
    if (!by) throw new InvalidArgumentError('limit applies to score and lex ranges only', { field: 'limit', value: o.limit });
    const { offset, count } = o.limit;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new InvalidArgumentError(`limit.offset must be a non-negative integer, got ${offset}`, { field: 'limit.offset', value: offset });
    if (!Number.isSafeInteger(count) || count < 0) throw new InvalidArgumentError(`limit.count must be a non-negative integer, got ${count}`, { field: 'limit.count', value: count });
    words.push('LIMIT', String(offset), String(count));
  }
  if (o.withScores) {
    if (by === 'BYLEX') throw new InvalidArgumentError('Redis returns no scores for lex ranges', { field: 'withScores', value: true });
    words.push('WITHSCORES');
  }
  return words;
}
