import { InvalidArgumentError, Script, type Walrus } from '@walrus/core';
import { PERIODS, checkDate, checkRange, type PeriodUnit } from './calendar';
import { redisNow } from './clock';
import { checkId } from './ids';
import { checkDb, checkName, eventBase, type KeyOptions } from './keys';
import { MARK_LUA } from './lua/mark';

/** Options of {@link markEvent} and {@link unmarkEvent}. */
export interface MarkOptions extends KeyOptions {
  /** When the event happened; its UTC fields pick the periods. Default: Redis' clock (see README). */
  now?: Date;
  /** Also mark the hour. Default false (hourly bitmaps cost memory). */
  trackHourly?: boolean;
  /** Also mark the event's unique set (`P_<name>_u`). Default false. */
  trackUnique?: boolean;
}

const markScript = new Script('bitmapist.mark', MARK_LUA);

function checkFlag(field: string, v: unknown): boolean {
  if (v !== undefined && typeof v !== 'boolean') throw new InvalidArgumentError(`${field} must be a boolean`, { field, value: v });
  return v === true;
}

/** The period suffixes of the last hour marked: consecutive marks mostly fall in the same hour. */
let cached: { hour: number; suffixes: Record<'month' | 'week' | 'day' | 'hour', string> } | undefined;

function suffixesAt(t: number): Record<'month' | 'week' | 'day' | 'hour', string> {
  const hour = PERIODS.hour.start(t);
  if (cached?.hour !== hour) {
    const at = (u: PeriodUnit) => PERIODS[u].suffix(checkRange(PERIODS[u].start(t), `the ${u} of ${new Date(t).toISOString()}`));
    cached = { hour, suffixes: { month: at('month'), week: at('week'), day: at('day'), hour: at('hour') } };
  }
  return cached.suffixes;
}

/** @internal The keys one mark writes, in Python's order (`base` is `P_<name>_`). */
export function markKeys(base: string, t: number, o: { hourly: boolean; unique: boolean }): string[] {
  const s = suffixesAt(t);
  const keys = [base + s.month, base + s.week, base + s.day];
  if (o.hourly) keys.push(base + s.hour);
  if (o.unique) keys.push(`${base}u`);
  return keys;
}

/** Tells the script runner every key must hold a string (bitmap), so WRONGTYPE names the culprit. */
function stringTypes(keys: string[]): Record<string, string> {
  const types: Record<string, string> = {};
  for (const k of keys) types[k] = 'string';
  return types;
}

async function mark(db: Walrus, name: string, id: number, o: MarkOptions, bit: 0 | 1): Promise<void> {
  checkDb(db);
  checkName(name);
  checkId(id);
  if (o === null || typeof o !== 'object') throw new InvalidArgumentError('options must be an object', { field: 'options', value: o });
  const flags = { hourly: checkFlag('trackHourly', o.trackHourly), unique: checkFlag('trackUnique', o.trackUnique) };
  const base = `${eventBase(db, o)}${name}_`;
  const t = o.now !== undefined ? checkDate('now', o.now) : await redisNow(db);
  const keys = markKeys(base, t, flags);
  await markScript.run(db, keys, [id, bit], { types: stringTypes(keys) });
}

/**
 * Marks that `id` did `name`: sets its bit in the month, ISO week and day of `now` (plus the hour with
 * `trackHourly`, the unique set with `trackUnique`), atomically in one round trip (one Lua script).
 *
 * @example await markEvent(db, 'active', 123, { trackHourly: true });
 */
export function markEvent(db: Walrus, name: string, id: number, o: MarkOptions = {}): Promise<void> {
  return mark(db, name, id, o, 1);
}

/** Clears what {@link markEvent} with the same arguments set (the keys stay, with the bit at 0). */
export function unmarkEvent(db: Walrus, name: string, id: number, o: MarkOptions = {}): Promise<void> {
  return mark(db, name, id, o, 0);
}

async function markUniqueBit(db: Walrus, name: string, id: number, o: KeyOptions, bit: 0 | 1): Promise<void> {
  checkDb(db);
  checkName(name);
  checkId(id);
  const key = `${eventBase(db, o)}${name}_u`;
  await db.command(['SETBIT', key, String(id), String(bit)], { key, type: 'string' });
}

/** Marks `id` in the unique set of `name` (`P_<name>_u`): one SETBIT. */
export function markUnique(db: Walrus, name: string, id: number, o: KeyOptions = {}): Promise<void> {
  return markUniqueBit(db, name, id, o, 1);
}

/** Clears `id` from the unique set of `name`: one SETBIT. */
export function unmarkUnique(db: Walrus, name: string, id: number, o: KeyOptions = {}): Promise<void> {
  return markUniqueBit(db, name, id, o, 0);
}
