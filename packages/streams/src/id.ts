import { InvalidArgumentError } from '@walrus/core';

/**
 * A stream entry id, `<ms>-<seq>` (or `<ms>`, meaning `<ms>-0` or the whole millisecond in range bounds), or one of
 * the special ids a command accepts: `*` (XADD), `-` / `+` (ranges), `$` (newest), `>` (never delivered to the group).
 */
export type Id = string;

/** Where an id is used; decides which special ids are accepted. */
export type IdRole = 'add' | 'entry' | 'range' | 'after' | 'groupRead' | 'groupStart';

const CONCRETE = /^(\d{1,20})(?:-(\d{1,20}))?$/;
const MAX_PART = 18446744073709551615n;
const SPECIALS: Record<IdRole, readonly string[]> = {
  add: ['*'],
  entry: [],
  range: ['-', '+'],
  after: ['$'],
  groupRead: ['>'],
  groupStart: ['$'],
};
const DESCRIBE: Record<IdRole, string> = {
  add: '"*", "<ms>-*" or "<ms>-<seq>" above 0-0',
  entry: '"<ms>-<seq>" or "<ms>"',
  range: '"-", "+", "<ms>-<seq>", "<ms>" or "(<ms>-<seq>" (exclusive)',
  after: '"$", "<ms>-<seq>" or "<ms>"',
  groupRead: '">", "<ms>-<seq>" or "<ms>"',
  groupStart: '"$", "<ms>-<seq>" or "<ms>"',
};

function concrete(id: string): boolean {
  const m = CONCRETE.exec(id);
  if (!m) return false;
  return BigInt(m[1]) <= MAX_PART && (m[2] === undefined || BigInt(m[2]) <= MAX_PART);
}

/** True when `id` is a concrete entry id (`<ms>-<seq>` or `<ms>`, each part at most 2^64 - 1). */
export function isEntryId(id: unknown): id is Id {
  return typeof id === 'string' && concrete(id);
}

/**
 * Checks an id for the given role and returns it; malformed ids throw {@link InvalidArgumentError} before anything
 * is sent.
 */
export function checkId(id: unknown, role: IdRole, field = 'id'): Id {
  if (typeof id === 'string') {
    if (SPECIALS[role].includes(id) || concrete(id)) {
      if (role === 'add' && /^0+(-0+)?$/.test(id)) throw new InvalidArgumentError(`${field} must be greater than 0-0, got "${id}"`, { field, value: id });
      return id;
    }
    if (role === 'add' && /^\d{1,20}-\*$/.test(id) && concrete(id.slice(0, -2))) return id;
    if (role === 'range' && id.startsWith('(') && concrete(id.slice(1))) return id;
  }
  throw new InvalidArgumentError(`malformed stream id ${JSON.stringify(id)} for ${field}: expected ${DESCRIBE[role]}`, { field, value: id });
}

function parts(id: Id): [bigint, bigint] {
  const m = CONCRETE.exec(id);
  if (!m) throw new InvalidArgumentError(`malformed stream id ${JSON.stringify(id)}: expected "<ms>-<seq>"`, { field: 'id', value: id });
  return [BigInt(m[1]), BigInt(m[2] ?? 0)];
}

/** Orders two concrete ids numerically by `(ms, seq)` (string order is wrong: `"9-0" > "10-0"`). */
export function compareIds(a: Id, b: Id): number {
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}

/** The id of `date` (UTC milliseconds) with sequence `seq`: `${date.getTime()}-${seq}`. */
export function dateToId(date: Date, seq = 0): Id {
  if (!(date instanceof Date) || Number.isNaN(date.getTime()) || date.getTime() < 0)
    throw new InvalidArgumentError('dateToId needs a valid Date at or after 1970-01-01T00:00:00Z', { field: 'date', value: date });
  if (!Number.isSafeInteger(seq) || seq < 0) throw new InvalidArgumentError(`sequence must be a non-negative integer, got ${seq}`, { field: 'sequence', value: seq });
  return `${date.getTime()}-${seq}`;
}

/**
 * The time and sequence of an id: `timestamp` is the UTC millisecond part as a Date (an Invalid Date beyond
 * year 275760), `sequence` the part after the dash.
 */
export function idToTime(id: Id): { timestamp: Date; sequence: number } {
  const [ms, seq] = parts(id);
  return { timestamp: new Date(Number(ms)), sequence: Number(seq) };
}

/** What TimeSeries methods accept as an id: an id string, a Date, `{ timestamp, sequence }`, or a Message. */
export type IdLike = Id | Date | { readonly timestamp: Date; readonly sequence?: number } | { readonly id: Id };

/**
 * Converts an {@link IdLike} to an id: strings pass through, a Date becomes `<ms>-0` (`<ms>` with `wholeMs`, which
 * range bounds read as the whole millisecond), `{ timestamp, sequence }` becomes `<ms>-<sequence>`, a Message its id.
 */
export function toId(value: IdLike, o: { wholeMs?: boolean } = {}): Id {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return o.wholeMs ? dateToId(value).slice(0, -2) : dateToId(value);
  if (value && typeof value === 'object') {
    if ('id' in value && typeof value.id === 'string') return value.id;
    if ('timestamp' in value && value.timestamp instanceof Date) return dateToId(value.timestamp, value.sequence ?? 0);
  }
  throw new InvalidArgumentError('an id must be a string, a Date, { timestamp, sequence } or a Message', { field: 'id', value });
}
