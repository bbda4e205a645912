import { InvalidArgumentError, type Arg, type Walrus } from '@walrus/core';
import { runInBitopScope } from './bitop-scope';
import { MAX_YEAR, PERIODS, checkDate, checkInt, type PeriodUnit } from './calendar';
import { redisNow } from './clock';
import { BitOp, Events, computeAndRead, mergeSteps } from './events';
import { checkDb, checkName, type KeyOptions } from './keys';
import { DayEvents, MonthEvents, WeekEvents, YearEvents, type PeriodEvents } from './period-events';

/** How cohort rows and columns are grouped. */
export type TimeGroup = 'days' | 'weeks' | 'months' | 'years';

/** Options of {@link cohort}. */
export interface CohortOptions extends KeyOptions {
  /** The event that defines the cohort of each row (e.g. `'signup'`). */
  select1: string;
  /** The event counted in each following period (e.g. `'active'`). */
  select2: string;
  /** A second event ANDed into `select1` (the cohort must have done both in the row's period). */
  select1b?: string;
  /** A second event ANDed into `select2`. */
  select2b?: string;
  /** Period of rows and columns. Default `'days'`. */
  timeGroup?: TimeGroup;
  /** Cells as a percentage of the row's total instead of counts. Default true. */
  asPercent?: boolean;
  /** Number of rows (periods). Default 31; 3 for years. */
  numResults?: number;
  /** Cells per row after the row's own period: cells are periods 0…numRows. Default 12. */
  numRows?: number;
  /** The first row is the period holding this date. Default: the last row is the current period. */
  startDate?: Date | string;
  /** "Now" for the default start. Default: Redis' clock. */
  now?: Date;
  /**
   * Custom event sets (Py: custom handlers): receives an event name and its events in a period, returns the set
   * to use instead (e.g. `period.or(...)`). Must use the same handle.
   */
  resolve?: (name: string, period: PeriodEvents) => Events;
}

/** One row of a cohort table. */
export interface CohortRow {
  /** Start of the row's period (UTC). */
  date: Date;
  /** Size of the cohort: ids in `select1` (∧ `select1b`) in the row's period. */
  total: number;
  /**
   * Cell `t` (0…numRows): ids of the cohort also in `select2` (∧ `select2b`) `t` periods later, as a count or a
   * percentage of `total`; `null` when the cohort is empty or nothing was marked for `select2` in that period.
   */
  cells: (number | null)[];
}

interface Group {
  unit: PeriodUnit;
  numResults: number;
  make(db: Walrus, name: string, at: Date, o: KeyOptions): PeriodEvents;
}

const GROUPS: Readonly<Record<TimeGroup, Group>> = {
  days: { unit: 'day', numResults: 31, make: (db, n, d, o) => DayEvents.fromDate(db, n, d, o) },
  weeks: { unit: 'week', numResults: 31, make: (db, n, d, o) => WeekEvents.fromDate(db, n, d, o) },
  months: { unit: 'month', numResults: 31, make: (db, n, d, o) => MonthEvents.fromDate(db, n, d, o) },
  years: { unit: 'year', numResults: 3, make: (db, n, d, o) => YearEvents.fromDate(db, n, d, o) },
};

function parseStart(v: Date | string): number {
  if (typeof v === 'string') {
    const t = new Date(v).getTime();
    if (Number.isNaN(t)) throw new InvalidArgumentError(`startDate is not a date: ${JSON.stringify(v)}`, { field: 'startDate', value: v });
    return t;
  }
  return checkDate('startDate', v);
}

function checkOptional(field: string, v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : checkName(v, field);
}

/**
 * Cohort retention table: one row per consecutive period, with the row's cohort size and one cell per following
 * period. Each row is one MULTI (every BITOP it needs, then BITCOUNT/EXISTS reads); rows are sent together, so
 * the table costs one round trip plus one DEL of the result keys.
 *
 * @example
 * const rows = await cohort(db, { select1: 'signup', select2: 'active', timeGroup: 'weeks', numResults: 8 });
 */
export async function cohort(db: Walrus, o: CohortOptions): Promise<CohortRow[]> {
  checkDb(db);
  if (!o || typeof o !== 'object') throw new InvalidArgumentError('cohort() needs options with select1 and select2', { field: 'options', value: o });
  const select1 = checkName(o.select1, 'select1');
  const select2 = checkName(o.select2, 'select2');
  const select1b = checkOptional('select1b', o.select1b);
  const select2b = checkOptional('select2b', o.select2b);
  const timeGroup = o.timeGroup ?? 'days';
  const group = GROUPS[timeGroup];
  if (!group || !Object.hasOwn(GROUPS, timeGroup)) throw new InvalidArgumentError(`timeGroup must be one of ${Object.keys(GROUPS).join(', ')}`, { field: 'timeGroup', value: timeGroup });
  const asPercent = o.asPercent ?? true;
  if (typeof asPercent !== 'boolean') throw new InvalidArgumentError('asPercent must be a boolean', { field: 'asPercent', value: asPercent });
  const numResults = checkInt('numResults', o.numResults ?? group.numResults, 1, 1000);
  const numRows = checkInt('numRows', o.numRows ?? 12, 0, 1000);
  if (o.resolve !== undefined && typeof o.resolve !== 'function') throw new InvalidArgumentError('resolve must be a function', { field: 'resolve', value: o.resolve });
  const keyOptions: KeyOptions = { keyPrefix: o.keyPrefix, hashTag: o.hashTag };
  const kind = PERIODS[group.unit];
  const startArg = o.startDate !== undefined ? parseStart(o.startDate) : undefined;
  const nowArg = o.now !== undefined ? checkDate('now', o.now) : undefined;
  // Validate names and key options before the first command.
  group.make(db, select1, new Date(startArg ?? nowArg ?? Date.now()), keyOptions);
  const first = startArg !== undefined ? kind.start(startArg) : kind.add(kind.start(nowArg ?? (await redisNow(db))), -(numResults - 1));

  const inRange = (t: number) => new Date(t).getUTCFullYear() <= MAX_YEAR && new Date(t).getUTCFullYear() >= 1;
  const events = (name: string, extra: string | undefined, start: number): Events => {
    const pick = (n: string) => {
      const base = group.make(db, n, new Date(start), keyOptions);
      const e = o.resolve ? o.resolve(n, base) : base;
      if (!(e instanceof Events)) throw new InvalidArgumentError(`resolve("${n}") must return Events`, { field: 'resolve', value: e });
      return e;
    };
    return extra ? new BitOp('AND', [pick(name), pick(extra)]) : pick(name);
  };

  // Plan every row first, so a failing `resolve` or a slot error stops the call before any command.
  const plans = Array.from({ length: numResults }, (_, r) => {
    const start = kind.add(first, r);
    const s1 = events(select1, select1b, start);
    const reads: Arg[][] = [['BITCOUNT', s1.key]];
    const steps = [s1.steps()];
    const inPeriods = Array.from({ length: numRows + 1 }, (_, t) => inRange(kind.add(start, t)));
    inPeriods.forEach((ok, t) => {
      if (!ok) return;
      const s2 = events(select2, select2b, kind.add(start, t));
      const both = new BitOp('AND', [s1, s2]);
      steps.push(s2.steps(), both.steps());
      reads.push(['EXISTS', s2.key], ['BITCOUNT', both.key]);
    });
    return { start, route: s1.key, steps: mergeSteps(...steps), reads, inPeriods };
  });

  return runInBitopScope(() =>
    Promise.all(
      plans.map(async ({ start, route, steps, reads, inPeriods }): Promise<CohortRow> => {
        const replies = (await computeAndRead(db, route, steps, reads)).map(Number);
        const total = replies[0];
        let i = 1;
        const cells = inPeriods.map((ok) => {
          if (!ok) return null;
          const [exists, count] = [replies[i], replies[i + 1]];
          i += 2;
          if (total === 0 || exists === 0) return null;
          return asPercent ? (count / total) * 100 : count;
        });
        return { date: new Date(start), total, cells };
      }),
    ),
  );
}
