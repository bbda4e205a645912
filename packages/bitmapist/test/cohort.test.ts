import { getDefaultHighWaterMark, setDefaultHighWaterMark } from 'node:stream';
import { CrossSlotError, InvalidArgumentError, connect } from '@walrus/core';
import { describeTopologies, RoundTripCounter } from '@walrus/testing';
import { DayEvents, IdMapper, MonthEvents, UniqueEvents, YearEvents, cohort, deleteRuntimeBitopKeys, markEvent, markUnique, renderCohortCsv, type CohortRow } from '../src';

const DAY = 86_400_000;
const start = Date.parse('2023-03-01T00:00:00Z');
const dayAt = (i: number) => new Date(start + i * DAY + 3_600_000 * (i % 24));

/** Who did what on day i (days from 2023-03-01). */
const marks: Record<string, Record<number, number[]>> = {
  signup: { 0: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1: [11, 12, 13, 14], 3: [15, 16], 4: [17] },
  active: { 0: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1: [1, 2, 3, 4, 5, 11, 12], 2: [1, 11, 13], 3: [2, 15], 4: [1, 16], 6: [99] },
  mobile: { 0: [1, 2, 3, 4], 1: [11, 3], 2: [1, 13], 3: [15, 16], 4: [1] },
  paid: { 1: [1, 11, 12], 2: [13], 4: [17] },
};

/** The cohort table computed from `marks` directly, as a reference. */
function reference(o: { select1: string; select2: string; select1b?: string; select2b?: string; rows: number; cols: number; percent: boolean }): Omit<CohortRow, 'date'>[] {
  const on = (name: string, day: number) => marks[name][day];
  const and = (a: number[] | undefined, b: number[] | undefined) => (a && b ? a.filter((x) => b.includes(x)) : undefined);
  const pick = (name: string, extra: string | undefined, day: number) => (extra ? and(on(name, day), on(extra, day)) : on(name, day));
  return Array.from({ length: o.rows }, (_, r) => {
    const s1 = pick(o.select1, o.select1b, r) ?? [];
    const cells = Array.from({ length: o.cols + 1 }, (_, t) => {
      // Python: a period where nothing was marked (the key is missing) is empty, not 0. BITOP AND stores a
      // result as long as the longest operand, so an AND exists when either side does.
      const exists = o.select2b ? on(o.select2, r + t) || on(o.select2b, r + t) : on(o.select2, r + t);
      if (s1.length === 0 || !exists) return null;
      const both = s1.filter((x) => (pick(o.select2, o.select2b, r + t) ?? []).includes(x)).length;
      return o.percent ? (both / s1.length) * 100 : both;
    });
    return { total: s1.length, cells };
  });
}

describeTopologies('cohort', (t) => {
  beforeAll(async () => {
    for (const [name, days] of Object.entries(marks))
      for (const [day, ids] of Object.entries(days)) for (const id of ids) await markEvent(t.db, name, id, { now: dayAt(Number(day)) });
  });

  const scanBitops = async () => {
    const out: string[] = [];
    for await (const k of t.db.scanKeys('*bitop*')) out.push(k);
    return out;
  };

  it('computes the daily retention table as percentages (rows from startDate, cells 0…numRows)', async () => {
    const rows = await cohort(t.db, { select1: 'signup', select2: 'active', numResults: 5, numRows: 3, startDate: '2023-03-01' });
    expect(rows.map((r) => r.date.toISOString().slice(0, 10))).toEqual(['2023-03-01', '2023-03-02', '2023-03-03', '2023-03-04', '2023-03-05']);
    expect(rows.map(({ total, cells }) => ({ total, cells }))).toEqual(reference({ select1: 'signup', select2: 'active', rows: 5, cols: 3, percent: true }));
    // Spot checks against the data: day 0 cohort of 10, 5 of them active on day 1, 1 on day 2.
    expect(rows[0].cells.slice(0, 3)).toEqual([100, 50, 10]);
    expect(rows[2]).toMatchObject({ total: 0, cells: [null, null, null, null] });
    expect(rows[4].cells[1]).toBeNull(); // nothing marked for "active" on day 5
    expect(await scanBitops()).toEqual([]); // result keys deleted at the end
  });

  it('counts instead of percentages, and ANDs select1b / select2b in', async () => {
    const counts = await cohort(t.db, { select1: 'signup', select2: 'active', asPercent: false, numResults: 5, numRows: 4, startDate: new Date(start) });
    expect(counts.map(({ total, cells }) => ({ total, cells }))).toEqual(reference({ select1: 'signup', select2: 'active', rows: 5, cols: 4, percent: false }));
    const both = await cohort(t.db, { select1: 'signup', select1b: 'mobile', select2: 'active', select2b: 'paid', asPercent: false, numResults: 4, numRows: 2, startDate: new Date(start) });
    expect(both.map(({ total, cells }) => ({ total, cells }))).toEqual(
      reference({ select1: 'signup', select1b: 'mobile', select2: 'active', select2b: 'paid', rows: 4, cols: 2, percent: false }),
    );
    expect(both[0].total).toBe(4); // signed up on mobile on day 0: 1, 2, 3, 4
    expect(both[0].cells[1]).toBe(1); // of them, active and paid on day 1: 1
    expect(await scanBitops()).toEqual([]);
  });

  it('groups by ISO week, month and year; the first row holds startDate', async () => {
    const weeks = await cohort(t.db, { select1: 'signup', select2: 'active', timeGroup: 'weeks', numResults: 2, numRows: 1, startDate: '2023-03-02' });
    // 2023-03-02 is a Thursday of the week starting Monday 2023-02-27, which holds days 0-4 of the data.
    expect(weeks.map((r) => r.date.toISOString().slice(0, 10))).toEqual(['2023-02-27', '2023-03-06']);
    expect(weeks[0].total).toBe(17);
    expect(weeks[0].cells[0]).toBeCloseTo((15 / 17) * 100, 10); // all but 14 and 17 were active that week
    expect(weeks[0].cells[1]).toBe(0); // only id 99 was active the next week (day 6): the key exists, no one of the cohort
    expect(weeks[1]).toMatchObject({ total: 0, cells: [null, null] });

    const months = await cohort(t.db, { select1: 'signup', select2: 'active', timeGroup: 'months', numResults: 2, numRows: 1, startDate: '2023-03-31', asPercent: false });
    expect(months.map((r) => [r.date.toISOString().slice(0, 10), r.total, ...r.cells])).toEqual([
      ['2023-03-01', 17, 15, null], // everyone but 14 and 17 was active in March
      ['2023-04-01', 0, null, null],
    ]);
    const years = await cohort(t.db, { select1: 'signup', select2: 'active', timeGroup: 'years', startDate: '2022-06-01', asPercent: false, numRows: 1 });
    expect(years.map((r) => [r.date.getUTCFullYear(), r.total, ...r.cells])).toEqual([
      [2022, 0, null, null],
      [2023, 17, 15, null],
      [2024, 0, null, null],
    ]);
    expect(await scanBitops()).toEqual([]);
  });

  it('ends at the current period by default (Redis clock or `now`)', async () => {
    const rows = await cohort(t.db, { select1: 'signup', select2: 'active', numResults: 3, numRows: 0, now: new Date(start + 4 * DAY + 5000), asPercent: false });
    expect(rows.map((r) => [r.date.toISOString().slice(0, 10), r.total, r.cells[0]])).toEqual([
      ['2023-03-03', 0, null],
      ['2023-03-04', 2, 1],
      ['2023-03-05', 1, 0],
    ]);
    const live = await cohort(t.db, { select1: 'signup', select2: 'active', numResults: 31 });
    expect(live).toHaveLength(31);
    expect(live[30].date.getTime()).toBe(Math.floor(Date.now() / DAY) * DAY);
    expect(live[0].cells).toHaveLength(13);
    expect((await cohort(t.db, { select1: 'signup', select2: 'active', timeGroup: 'years' })).length).toBe(3);
  });

  it('uses custom event sets from `resolve` (Python custom handlers)', async () => {
    // "Engaged" = active or paid that day.
    const rows = await cohort(t.db, {
      select1: 'signup',
      select2: 'engaged',
      asPercent: false,
      numResults: 2,
      numRows: 1,
      startDate: '2023-03-01',
      resolve: (name, period) => (name === 'engaged' ? DayEvents.fromDate(t.db, 'active', period.periodStart()).or(DayEvents.fromDate(t.db, 'paid', period.periodStart())) : period),
    });
    expect(rows.map((r) => [r.total, ...r.cells])).toEqual([
      [10, 10, 5],
      [4, 2, 2], // cohort {11, 12, 13, 14}: day 1 active or paid {1-5, 11, 12}; day 2 {1, 11, 13}
    ]);
    expect(await scanBitops()).toEqual([]);
  });

  it('validates options before any command', async () => {
    const bad: object[] = [
      { select1: '', select2: 'a' },
      { select1: 'a' },
      { select1: 'a', select2: 'b', timeGroup: 'hours' },
      { select1: 'a', select2: 'b', timeGroup: 'toString' },
      { select1: 'a', select2: 'b', numResults: 0 },
      { select1: 'a', select2: 'b', numRows: -1 },
      { select1: 'a', select2: 'b', asPercent: 1 },
      { select1: 'a', select2: 'b', startDate: 'not a date' },
      { select1: 'a', select2: 'b', now: 'today' },
      { select1: 'a', select2: 'b', resolve: 'x' },
      { select1: 'a', select2: 'b', resolve: () => ({}), startDate: '2023-01-01' },
    ];
    for (const o of bad) await expect(cohort(t.db, o as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('over Python-named keys: works on one server, CrossSlotError on a cluster', async () => {
    const db = await t.connect({ hashTag: false });
    await markEvent(db, 'signup', 1, { now: dayAt(0) }).catch(() => {});
    await markUnique(db, 'x', 1);
    if (t.isCluster) {
      await expect(cohort(db, { select1: 'signup', select2: 'active', numResults: 1, startDate: '2023-03-01' })).rejects.toBeInstanceOf(CrossSlotError);
      return;
    }
    const rows = await cohort(db, { select1: 'signup', select2: 'signup', numResults: 1, numRows: 0, startDate: '2023-03-01' });
    expect(rows[0]).toMatchObject({ total: 1, cells: [100] });
  });

  it('the CSV export has bitmapist\'s header, labels and Python float percentages', async () => {
    const rows = await cohort(t.db, { select1: 'signup', select2: 'active', numResults: 2, numRows: 2, startDate: '2023-03-01' });
    expect(renderCohortCsv(rows, { timeGroup: 'days', asPercent: true })).toBe('Date,Total,0,1,2\n01 Mar 2023,10,100.0,50.0,10.0\n02 Mar 2023,4,50.0,50.0,0.0\n');
  });

  it('costs one round trip for the whole table plus one DEL (rows pipelined), one per single read', async () => {
    if (t.isCluster) return; // the counting proxy speaks to one server; cluster clients connect to every node directly
    const url = (t.connectOptions as { url: string }).url;
    const target = new URL(url);
    const counter = new RoundTripCounter({ host: target.hostname, port: Number(target.port) });
    // node-redis writes in windows of the socket's high-water mark (16 KB) and waits for 'drain' between them;
    // with a larger buffer the whole table leaves in one write, so the count shows only waits for replies.
    const url2 = await counter.listen();
    const hwm = getDefaultHighWaterMark(false);
    setDefaultHighWaterMark(false, 16 * 1024 * 1024);
    const proxied = await connect(url2, { prefix: t.prefix }).finally(() => setDefaultHighWaterMark(false, hwm));
    try {
      await proxied.command(['PING']);
      expect(await counter.count(() => markEvent(proxied, 'rt', 1, { now: dayAt(0), trackHourly: true, trackUnique: true }))).toBe(1);
      expect(await counter.count(() => DayEvents.fromDate(proxied, 'rt', dayAt(0)).count())).toBe(1);
      const op = DayEvents.fromDate(proxied, 'rt', dayAt(0)).and(new UniqueEvents(proxied, 'rt'), MonthEvents.fromDate(proxied, 'rt', dayAt(0)).not());
      expect(await counter.count(() => op.count())).toBe(1); // computed and read in one MULTI
      expect(await counter.count(() => op.has(1))).toBe(1); // reused
      expect(await counter.count(() => cohort(proxied, { select1: 'signup', select2: 'active', select2b: 'mobile', numResults: 30, numRows: 11, startDate: '2023-03-01' }))).toBe(2);
      expect(await counter.count(() => markUnique(proxied, 'rt', 2))).toBe(1);
      const fresh = DayEvents.fromDate(proxied, 'rt', dayAt(0)).or(new UniqueEvents(proxied, 'rt'));
      expect(await counter.count(async () => {
        for await (const id of fresh.ids()) void id;
      })).toBe(2); // compute (MULTI), then one GETRANGE chunk
      expect(await counter.count(() => deleteRuntimeBitopKeys())).toBe(1);
      const mapper = new IdMapper(proxied, 'rt');
      await mapper.toInt('warm-up'); // the first call after a fresh start may load the script (NOSCRIPT + EVAL)
      expect(await counter.count(() => mapper.toInt('someone'))).toBe(1);
      expect(await counter.count(() => new YearEvents(proxied, 'rt', 2023).count())).toBe(1);
    } finally {
      await proxied.close();
      await counter.close();
    }
  });
});
