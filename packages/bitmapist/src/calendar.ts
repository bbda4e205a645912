import { InvalidArgumentError } from '@walrus/core';

/** The time units bitmapist buckets events by. */
export type PeriodUnit = 'hour' | 'day' | 'week' | 'month' | 'year';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Years a period may fall in (Python's `datetime` range). */
export const MIN_YEAR = 1;
/** Years a period may fall in (Python's `datetime` range). */
export const MAX_YEAR = 9999;

/** Epoch milliseconds of a UTC date; unlike `Date.UTC`, years 0-99 are not mapped to 1900-1999. */
export function utc(year: number, month0: number, day = 1, hour = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month0, day);
  d.setUTCHours(hour, 0, 0, 0);
  return d.getTime();
}

/** Days in a month (`month` is 1-12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

/** The ISO 8601 week-numbering year and week of a UTC instant (weeks start on Monday; week 1 holds 4 January). */
export function isoWeek(t: number): { isoYear: number; week: number } {
  const d = new Date(t);
  const dayStart = utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const mondayBased = (d.getUTCDay() + 6) % 7;
  // The Thursday of the same week decides the year; its ordinal day decides the week.
  const thursday = new Date(dayStart + (3 - mondayBased) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const ordinal = Math.round((thursday.getTime() - utc(isoYear, 0, 1)) / DAY_MS);
  return { isoYear, week: Math.floor(ordinal / 7) + 1 };
}

/** Epoch milliseconds of the Monday 00:00 UTC that starts ISO week `week` of `isoYear`. */
export function isoWeekStart(isoYear: number, week: number): number {
  const jan4 = utc(isoYear, 0, 4);
  const jan4MondayBased = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - jan4MondayBased * DAY_MS + (week - 1) * 7 * DAY_MS;
}

/** 52 or 53: the number of ISO weeks of an ISO week-numbering year (28 December is always in the last one). */
export function isoWeeksInYear(isoYear: number): number {
  return isoWeek(utc(isoYear, 11, 28)).week;
}

/** How one period unit starts, steps and is named in keys (UTC fields, no zero padding). */
export interface PeriodKind {
  readonly unit: PeriodUnit;
  /** Start of the period holding instant `t`. */
  start(t: number): number;
  /** Start of the period `n` periods after the one starting at `start`. */
  add(start: number, n: number): number;
  /** The key suffix of the period starting at `start`: `2014-1-1-8`, `2014-1-1`, `W2015-53`, `2014-1`, `2014`. */
  suffix(start: number): string;
}

const ymd = (t: number) => {
  const d = new Date(t);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours() };
};

/** The period kinds, as data: one entry per unit. */
export const PERIODS: Readonly<Record<PeriodUnit, PeriodKind>> = {
  hour: {
    unit: 'hour',
    start: (t) => Math.floor(t / HOUR_MS) * HOUR_MS,
    add: (s, n) => s + n * HOUR_MS,
    suffix: (s) => {
      const { y, m, d, h } = ymd(s);
      return `${y}-${m}-${d}-${h}`;
    },
  },
  day: {
    unit: 'day',
    start: (t) => Math.floor(t / DAY_MS) * DAY_MS,
    add: (s, n) => s + n * DAY_MS,
    suffix: (s) => {
      const { y, m, d } = ymd(s);
      return `${y}-${m}-${d}`;
    },
  },
  week: {
    unit: 'week',
    start: (t) => {
      const day = Math.floor(t / DAY_MS) * DAY_MS;
      return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
    },
    // Steps go from Monday to Monday, so 2015-W53 + 1 is 2016-W1.
    add: (s, n) => s + n * 7 * DAY_MS,
    suffix: (s) => {
      const { isoYear, week } = isoWeek(s);
      return `W${isoYear}-${week}`;
    },
  },
  month: {
    unit: 'month',
    start: (t) => {
      const { y, m } = ymd(t);
      return utc(y, m - 1);
    },
    add: (s, n) => {
      const { y, m } = ymd(s);
      return utc(y, m - 1 + n);
    },
    suffix: (s) => {
      const { y, m } = ymd(s);
      return `${y}-${m}`;
    },
  },
  year: {
    unit: 'year',
    start: (t) => utc(new Date(t).getUTCFullYear(), 0),
    add: (s, n) => utc(new Date(s).getUTCFullYear() + n, 0),
    suffix: (s) => String(new Date(s).getUTCFullYear()),
  },
};

/** Throws unless `v` is an integer in `[min, max]`. */
export function checkInt(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new InvalidArgumentError(`${field} must be an integer from ${min} to ${max}, got ${String(v)}`, { field, value: v });
  return v;
}

/** Throws unless the start of a period lies in years {@link MIN_YEAR}-{@link MAX_YEAR}. */
export function checkRange(start: number, what: string): number {
  const year = new Date(start).getUTCFullYear();
  if (!(year >= MIN_YEAR && year <= MAX_YEAR))
    throw new InvalidArgumentError(`${what} falls outside years ${MIN_YEAR}-${MAX_YEAR}`, { field: 'period', value: Number.isFinite(start) ? new Date(start).toISOString() : start });
  return start;
}

/** Throws unless `d` is a valid `Date`; returns its epoch milliseconds. */
export function checkDate(field: string, d: unknown): number {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new InvalidArgumentError(`${field} must be a valid Date`, { field, value: d });
  return d.getTime();
}
