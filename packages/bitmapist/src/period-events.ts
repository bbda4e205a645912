import type { Walrus } from '@walrus/core';
import { PERIODS, checkDate, checkInt, checkRange, daysInMonth, isoWeek, isoWeekStart, isoWeeksInYear, utc, MAX_YEAR, MIN_YEAR, type PeriodKind, type PeriodUnit } from './calendar';
import { invalidateBitops } from './bitop-scope';
import { BitOp, Events, type BitopStep } from './events';
import { checkDb, checkName, eventBase, type KeyOptions } from './keys';

/**
 * Events of one event name in one UTC period (hour, day, ISO week, month, year). Constructors take the period's
 * fields, all required and validated; `fromDate` finds the period holding a date. `delta`, `next` and `prev`
 * step through periods.
 */
export abstract class PeriodEvents extends Events {
  /** The event name. */
  readonly name: string;
  /** The period's unit. */
  readonly unit: PeriodUnit;
  /** The key options the events were made with (kept by `delta`). */
  readonly options: Readonly<KeyOptions>;
  readonly #start: number;

  /** @internal */
  protected constructor(db: Walrus, name: string, kind: PeriodKind, start: number, o: KeyOptions = {}, key?: string) {
    checkDb(db);
    checkName(name);
    const base = eventBase(db, o);
    super(db, key ?? `${base}${name}_${kind.suffix(start)}`, base);
    this.name = name;
    this.unit = kind.unit;
    this.options = { ...o };
    this.#start = start;
  }

  /** @internal The same kind of events for the period starting at `start`. */
  protected abstract at(start: number): this;

  /** The events of the period `n` periods later (earlier when negative). ISO weeks step Monday to Monday. */
  delta(n: number): this {
    checkInt('n', n, -1e6, 1e6);
    const start = checkRange(PERIODS[this.unit].add(this.#start, n), `${this.unit} ${this.name} ${n >= 0 ? '+' : ''}${n}`);
    return this.at(start);
  }

  /** The next period's events. */
  next(): this {
    return this.delta(1);
  }

  /** The previous period's events. */
  prev(): this {
    return this.delta(-1);
  }

  /** The first millisecond of the period (UTC). */
  periodStart(): Date {
    return new Date(this.#start);
  }

  /** The last millisecond of the period (UTC). */
  periodEnd(): Date {
    return new Date(PERIODS[this.unit].add(this.#start, 1) - 1);
  }
}

function startOf(kind: PeriodKind, date: Date | undefined): number {
  const t = date === undefined ? Date.now() : checkDate('date', date);
  return checkRange(kind.start(t), `the ${kind.unit} of ${new Date(t).toISOString()}`);
}

const checkYear = (y: unknown) => checkInt('year', y, MIN_YEAR, MAX_YEAR);
const checkMonth = (m: unknown) => checkInt('month', m, 1, 12);
const checkDay = (y: number, m: number, d: unknown) => checkInt('day', d, 1, daysInMonth(y, m));

/** Events of one UTC hour: key `P_<name>_<Y>-<M>-<D>-<h>` (marked only with `trackHourly`). */
export class HourEvents extends PeriodEvents {
  /** The UTC year. */
  readonly year: number;
  /** The month, 1-12. */
  readonly month: number;
  /** The day of the month, 1-31. */
  readonly day: number;
  /** The UTC hour, 0-23. */
  readonly hour: number;

  constructor(db: Walrus, name: string, year: number, month: number, day: number, hour: number, o?: KeyOptions) {
    checkYear(year);
    checkMonth(month);
    checkDay(year, month, day);
    checkInt('hour', hour, 0, 23);
    super(db, name, PERIODS.hour, utc(year, month - 1, day, hour), o);
    [this.year, this.month, this.day, this.hour] = [year, month, day, hour];
  }

  /** The hour holding `date` (default: now, this process' clock). */
  static fromDate(db: Walrus, name: string, date?: Date, o?: KeyOptions): HourEvents {
    const d = new Date(startOf(PERIODS.hour, date));
    return new HourEvents(db, name, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), o);
  }

  protected at(start: number): this {
    return HourEvents.fromDate(this.db, this.name, new Date(start), this.options) as this;
  }
}

/** Events of one UTC day: key `P_<name>_<Y>-<M>-<D>`. */
export class DayEvents extends PeriodEvents {
  /** The UTC year. */
  readonly year: number;
  /** The month, 1-12. */
  readonly month: number;
  /** The day of the month, 1-31. */
  readonly day: number;

  constructor(db: Walrus, name: string, year: number, month: number, day: number, o?: KeyOptions) {
    checkYear(year);
    checkMonth(month);
    checkDay(year, month, day);
    super(db, name, PERIODS.day, utc(year, month - 1, day), o);
    [this.year, this.month, this.day] = [year, month, day];
  }

  /** The day holding `date` (default: now, this process' clock). */
  static fromDate(db: Walrus, name: string, date?: Date, o?: KeyOptions): DayEvents {
    const d = new Date(startOf(PERIODS.day, date));
    return new DayEvents(db, name, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), o);
  }

  protected at(start: number): this {
    return DayEvents.fromDate(this.db, this.name, new Date(start), this.options) as this;
  }
}

/** Events of one ISO 8601 week (Monday to Sunday, UTC): key `P_<name>_W<isoYear>-<isoWeek>`. */
export class WeekEvents extends PeriodEvents {
  /** The ISO week-numbering year (differs from the calendar year around 1 January). */
  readonly year: number;
  /** The ISO week, 1-52 or 1-53. */
  readonly week: number;

  constructor(db: Walrus, name: string, isoYear: number, isoWeek: number, o?: KeyOptions) {
    checkYear(isoYear);
    checkInt('week', isoWeek, 1, isoWeeksInYear(isoYear));
    super(db, name, PERIODS.week, isoWeekStart(isoYear, isoWeek), o);
    [this.year, this.week] = [isoYear, isoWeek];
  }

  /** The ISO week holding `date` (default: now, this process' clock). */
  static fromDate(db: Walrus, name: string, date?: Date, o?: KeyOptions): WeekEvents {
    const { isoYear, week } = isoWeek(startOf(PERIODS.week, date));
    return new WeekEvents(db, name, isoYear, week, o);
  }

  protected at(start: number): this {
    return WeekEvents.fromDate(this.db, this.name, new Date(start), this.options) as this;
  }
}

/** Events of one UTC month: key `P_<name>_<Y>-<M>`. */
export class MonthEvents extends PeriodEvents {
  /** The UTC year. */
  readonly year: number;
  /** The month, 1-12. */
  readonly month: number;

  constructor(db: Walrus, name: string, year: number, month: number, o?: KeyOptions) {
    checkYear(year);
    checkMonth(month);
    super(db, name, PERIODS.month, utc(year, month - 1), o);
    [this.year, this.month] = [year, month];
  }

  /** The month holding `date` (default: now, this process' clock). */
  static fromDate(db: Walrus, name: string, date?: Date, o?: KeyOptions): MonthEvents {
    const d = new Date(startOf(PERIODS.month, date));
    return new MonthEvents(db, name, d.getUTCFullYear(), d.getUTCMonth() + 1, o);
  }

  protected at(start: number): this {
    return MonthEvents.fromDate(this.db, this.name, new Date(start), this.options) as this;
  }
}

/**
 * Events of one UTC year: no key of its own, but the BitOp OR of its 12 month keys (as in Python), computed on
 * first read like any BitOp. `delete()` deletes the 12 month keys and the result.
 */
export class YearEvents extends PeriodEvents {
  /** The UTC year. */
  readonly year: number;
  /** The 12 months the year is made of. */
  readonly months: readonly MonthEvents[];
  readonly #or: BitOp;

  constructor(db: Walrus, name: string, year: number, o?: KeyOptions) {
    checkYear(year);
    checkDb(db);
    const months = Array.from({ length: 12 }, (_, i) => new MonthEvents(db, name, year, i + 1, o));
    const or = new BitOp('OR', months);
    super(db, name, PERIODS.year, utc(year, 0), o, or.key);
    this.year = year;
    this.months = months;
    this.#or = or;
  }

  /** The year holding `date` (default: now, this process' clock). */
  static fromDate(db: Walrus, name: string, date?: Date, o?: KeyOptions): YearEvents {
    return new YearEvents(db, name, new Date(startOf(PERIODS.year, date)).getUTCFullYear(), o);
  }

  protected at(start: number): this {
    return YearEvents.fromDate(this.db, this.name, new Date(start), this.options) as this;
  }

  override steps(): readonly BitopStep[] {
    return this.#or.steps();
  }

  /** Deletes the year's 12 month keys and its computed result (one DEL). */
  override async delete(): Promise<void> {
    invalidateBitops();
    const keys = [this.key, ...this.months.map((m) => m.key)];
    await this.db.command(['DEL', ...keys], { key: keys[0], keys });
  }
}
