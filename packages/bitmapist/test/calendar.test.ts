import { PERIODS, isoWeek, isoWeekStart, isoWeeksInYear, utc } from '../src/calendar';
import { csvLabel, htmlLabel, pythonPercent, pythonRound, sundayWeek } from '../src/cohort-format';
import { bitsOf } from '../src/ids';

const at = (iso: string) => Date.parse(iso);

describe('ISO weeks (Python date.isocalendar())', () => {
  it.each([
    ['2014-12-28T23:59:59Z', 2014, 52], // Sunday: still the last week of 2014
    ['2014-12-29T00:00:00Z', 2015, 1], // Monday: week 1 of 2015 starts in December
    ['2015-12-31T12:00:00Z', 2015, 53],
    ['2016-01-01T00:00:00Z', 2015, 53], // January days can belong to the previous ISO year
    ['2016-01-03T23:59:59.999Z', 2015, 53],
    ['2016-01-04T00:00:00Z', 2016, 1],
    ['2020-12-31T00:00:00Z', 2020, 53],
    ['2021-01-03T00:00:00Z', 2020, 53],
    ['2021-01-04T00:00:00Z', 2021, 1],
    ['2008-12-29T00:00:00Z', 2009, 1],
    ['2010-01-03T00:00:00Z', 2009, 53],
    ['2026-01-01T00:00:00Z', 2026, 1],
    ['2025-12-29T00:00:00Z', 2026, 1],
  ])('%s is %i-W%i', (iso, isoYear, week) => {
    expect(isoWeek(at(iso))).toEqual({ isoYear, week });
  });

  it('knows which years have 53 weeks (those starting on a Thursday, or leap years starting on a Wednesday)', () => {
    const long = [];
    for (let y = 2000; y <= 2040; y++) if (isoWeeksInYear(y) === 53) long.push(y);
    const expected = [];
    for (let y = 2000; y <= 2040; y++) {
      const jan1 = new Date(utc(y, 0, 1)).getUTCDay();
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      if (jan1 === 4 || (leap && jan1 === 3)) expected.push(y);
    }
    expect(long).toEqual(expected);
    expect(long).toEqual(expect.arrayContaining([2004, 2009, 2015, 2020, 2026, 2032, 2037]));
  });

  it('week starts are Mondays and week 1 holds 4 January', () => {
    for (const y of [1, 1970, 2015, 2016, 2020, 2021, 9999]) {
      const start = isoWeekStart(y, 1);
      expect(new Date(start).getUTCDay()).toBe(1);
      expect(start).toBeLessThanOrEqual(utc(y, 0, 4));
      expect(utc(y, 0, 4) - start).toBeLessThan(7 * 86_400_000);
      expect(isoWeek(start)).toEqual({ isoYear: y, week: 1 });
    }
  });

  it('steps through the year boundary Monday to Monday: 2015-W53 + 1 = 2016-W1, 2016-W1 - 1 = 2015-W53', () => {
    const w53 = isoWeekStart(2015, 53);
    expect(PERIODS.week.suffix(PERIODS.week.add(w53, 1))).toBe('W2016-1');
    expect(PERIODS.week.suffix(PERIODS.week.add(isoWeekStart(2016, 1), -1))).toBe('W2015-53');
    expect(PERIODS.week.suffix(PERIODS.week.add(isoWeekStart(2020, 52), 1))).toBe('W2020-53');
    expect(PERIODS.week.suffix(PERIODS.week.add(isoWeekStart(2021, 52), 1))).toBe('W2022-1');
  });
});

describe('period keys (UTC fields, no zero padding)', () => {
  const t = at('2014-01-01T08:30:00Z');
  it.each([
    ['hour', '2014-1-1-8'],
    ['day', '2014-1-1'],
    ['week', 'W2014-1'],
    ['month', '2014-1'],
    ['year', '2014'],
  ] as const)('%s -> %s', (unit, suffix) => {
    expect(PERIODS[unit].suffix(PERIODS[unit].start(t))).toBe(suffix);
  });

  it('starts and steps months and years by the calendar, years 1-99 included', () => {
    const jan31 = at('2016-01-31T10:00:00Z');
    expect(new Date(PERIODS.month.add(PERIODS.month.start(jan31), 1)).toISOString()).toBe('2016-02-01T00:00:00.000Z');
    expect(new Date(PERIODS.month.add(PERIODS.month.start(jan31), -1)).toISOString()).toBe('2015-12-01T00:00:00.000Z');
    expect(PERIODS.day.suffix(utc(5, 1, 3))).toBe('5-2-3');
    expect(PERIODS.year.suffix(PERIODS.year.add(utc(99, 0), 1))).toBe('100');
  });
});

describe('Python rounding and labels', () => {
  it('rounds like Python round(): exact binary value, ties to even', () => {
    expect(pythonRound(2.675, 2)).toBe(2.67); // stored as 2.67499999…
    expect(pythonRound(0.125, 2)).toBe(0.12); // exact tie -> even
    expect(pythonRound(0.375, 2)).toBe(0.38);
    expect(pythonRound(12.125, 2)).toBe(12.12);
    expect(pythonRound(0.25, 1)).toBe(0.2);
    expect(pythonRound(0.35, 1)).toBe(0.3); // 0.34999…
    expect(pythonRound(0.45, 1)).toBe(0.5); // 0.450000000000000011…
    expect(pythonRound(-0.125, 2)).toBe(-0.12);
    expect(pythonRound(100 / 3, 2)).toBe(33.33);
    expect([100, 0, 12.5, 200 / 3].map(pythonPercent)).toEqual(['100.0', '0.0', '12.5', '66.67']);
  });

  it('numbers Sunday-based weeks like strftime %U', () => {
    expect(sundayWeek(new Date(at('2023-01-01T00:00:00Z')))).toBe(1); // a Sunday
    expect(sundayWeek(new Date(at('2022-01-01T00:00:00Z')))).toBe(0); // a Saturday before the first Sunday
    expect(sundayWeek(new Date(at('2024-12-30T00:00:00Z')))).toBe(52);
  });

  it('labels rows per grouping', () => {
    const d = new Date(at('2024-01-08T00:00:00Z'));
    expect([csvLabel(d, 'days'), csvLabel(d, 'weeks'), csvLabel(d, 'months'), csvLabel(d, 'years')]).toEqual(['08 Jan 2024', 'Week 01 08 Jan', '08 Jan', '2024']);
    expect([htmlLabel(d, 'days'), htmlLabel(d, 'weeks'), htmlLabel(d, 'months'), htmlLabel(d, 'years')]).toEqual(['08 Jan, 2024', 'Week 01, 08 Jan', 'Jan 2024', '2024']);
  });
});

describe('bitmap decoding', () => {
  it('reads bit n from byte n/8 with mask 0x80 >> n%8, ascending', () => {
    expect([...bitsOf(Uint8Array.from([0b1000_0001, 0, 0b0100_0000]))]).toEqual([0, 7, 17]);
    expect([...bitsOf(Uint8Array.from([0xff]), 2)]).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
  });
});
