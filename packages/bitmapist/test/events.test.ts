import { CrossSlotError, InvalidArgumentError, WrongTypeError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { DayEvents, HourEvents, MonthEvents, UniqueEvents, WeekEvents, YearEvents, markEvent } from '../src';

describeTopologies('period events', (t) => {
  it('fromDate picks the UTC period of a date; fields, keys, start and end agree', () => {
    const d = new Date('2016-01-01T23:59:59.999-02:00'); // 2016-01-02T01:59:59.999Z
    const h = HourEvents.fromDate(t.db, 'e', d);
    expect([h.year, h.month, h.day, h.hour]).toEqual([2016, 1, 2, 1]);
    expect(h.key).toBe(t.key('{trackist}_e_2016-1-2-1'));
    expect(h.periodStart().toISOString()).toBe('2016-01-02T01:00:00.000Z');
    expect(h.periodEnd().toISOString()).toBe('2016-01-02T01:59:59.999Z');

    const day = DayEvents.fromDate(t.db, 'e', d);
    expect([day.periodStart().toISOString(), day.periodEnd().toISOString()]).toEqual(['2016-01-02T00:00:00.000Z', '2016-01-02T23:59:59.999Z']);

    const w = WeekEvents.fromDate(t.db, 'e', d);
    expect([w.year, w.week]).toEqual([2015, 53]);
    expect([w.periodStart().toISOString(), w.periodEnd().toISOString()]).toEqual(['2015-12-28T00:00:00.000Z', '2016-01-03T23:59:59.999Z']);

    const m = MonthEvents.fromDate(t.db, 'e', new Date('2016-02-10T00:00:00Z'));
    expect([m.periodStart().toISOString(), m.periodEnd().toISOString()]).toEqual(['2016-02-01T00:00:00.000Z', '2016-02-29T23:59:59.999Z']);

    const y = YearEvents.fromDate(t.db, 'e', d);
    expect([y.year, y.periodStart().toISOString(), y.periodEnd().toISOString()]).toEqual([2016, '2016-01-01T00:00:00.000Z', '2016-12-31T23:59:59.999Z']);
    expect(y.key.startsWith(t.key('{trackist}_bitop_OR_'))).toBe(true);
  });

  it('next, prev and delta step through periods, across years and ISO week 53', () => {
    const d = new DayEvents(t.db, 'e', 2015, 12, 31);
    expect(d.next().key).toBe(t.key('{trackist}_e_2016-1-1'));
    expect(d.delta(60).key).toBe(t.key('{trackist}_e_2016-2-29'));
    expect(d.next().prev().equals(d)).toBe(true);
    expect(new HourEvents(t.db, 'e', 2015, 12, 31, 23).next().key).toBe(t.key('{trackist}_e_2016-1-1-0'));
    const w = new WeekEvents(t.db, 'e', 2015, 53);
    expect([w.next().year, w.next().week]).toEqual([2016, 1]);
    expect(new WeekEvents(t.db, 'e', 2016, 1).prev().key).toBe(t.key('{trackist}_e_W2015-53'));
    expect(w.delta(-53).key).toBe(t.key('{trackist}_e_W2014-52'));
    expect(new MonthEvents(t.db, 'e', 2015, 11).delta(3).key).toBe(t.key('{trackist}_e_2016-2'));
    expect(new MonthEvents(t.db, 'e', 2016, 1).prev().key).toBe(t.key('{trackist}_e_2015-12'));
    expect(new YearEvents(t.db, 'e', 2015).next().year).toBe(2016);
    const u = new UniqueEvents(t.db, 'e');
    expect([u.next(), u.prev(), u.delta(5)]).toEqual([u, u, u]);
    expect(d.next()).toBeInstanceOf(DayEvents);
  });

  it('validates every period field (Py defaulted missing ones to now)', () => {
    const bad: (() => unknown)[] = [
      () => new DayEvents(t.db, 'e', 2015, 2, 29),
      () => new DayEvents(t.db, 'e', 2015, 13, 1),
      () => new DayEvents(t.db, 'e', 2015, 0, 1),
      () => new DayEvents(t.db, 'e', 2015.5, 1, 1),
      () => new DayEvents(t.db, 'e', 0, 1, 1),
      () => new (DayEvents as unknown as new (...a: unknown[]) => DayEvents)(t.db, 'e', 2015),
      () => new HourEvents(t.db, 'e', 2015, 1, 1, 24),
      () => new WeekEvents(t.db, 'e', 2016, 53),
      () => new WeekEvents(t.db, 'e', 2015, 0),
      () => new MonthEvents(t.db, '', 2015, 1),
      () => new YearEvents(t.db, 'e', 10_000),
      () => DayEvents.fromDate(t.db, 'e', new Date('x')),
      () => new DayEvents(t.db, 'e', 9999, 12, 31).next(),
      () => new DayEvents(t.db, 'e', 2015, 1, 1).delta(0.5),
      () => new UniqueEvents(t.db, ''),
      () => new DayEvents({} as never, 'e', 2015, 1, 1),
    ];
    for (const f of bad) expect(f).toThrow(InvalidArgumentError);
    expect(new WeekEvents(t.db, 'e', 2015, 53).week).toBe(53);
    expect(new DayEvents(t.db, 'e', 2016, 2, 29).day).toBe(29);
  });

  it('count, has, ids, hasEventsMarked and delete read one period', async () => {
    const now = new Date('2020-03-04T05:00:00Z');
    const ids = [0, 1, 7, 8, 255, 256, 100_000];
    for (const id of ids) await markEvent(t.db, 'read', id, { now });
    const day = DayEvents.fromDate(t.db, 'read', now);
    expect(await day.count()).toBe(ids.length);
    expect(await day.has(7)).toBe(true);
    expect(await day.has(9)).toBe(false);
    expect(await day.has(10_000_000)).toBe(false);
    await expect(day.has(-1)).rejects.toBeInstanceOf(InvalidArgumentError);
    const seen: number[] = [];
    for await (const id of day) seen.push(id);
    expect(seen).toEqual(ids);
    const chunked: number[] = [];
    for await (const id of day.ids({ chunkBytes: 5000 })) chunked.push(id);
    expect(chunked).toEqual(ids);
    expect(await day.hasEventsMarked()).toBe(true);
    expect(await day.next().hasEventsMarked()).toBe(false);
    expect(await day.next().count()).toBe(0);
    const none: number[] = [];
    for await (const id of day.next()) none.push(id);
    expect(none).toEqual([]);
    await day.delete();
    expect([await day.hasEventsMarked(), await day.count()]).toEqual([false, 0]);
    expect(await WeekEvents.fromDate(t.db, 'read', now).count()).toBe(ids.length); // other periods untouched
  });

  it('stops ids() when its signal aborts', async () => {
    for (const id of [1, 100, 200, 300]) await markEvent(t.db, 'abort', id, { now: new Date('2020-01-01T00:00:00Z') });
    const ac = new AbortController();
    const got: number[] = [];
    for await (const id of new DayEvents(t.db, 'abort', 2020, 1, 1).ids({ chunkBytes: 1, signal: ac.signal })) {
      got.push(id);
      ac.abort();
    }
    expect(got).toEqual([1]);
  });

  it('hasEventsMarked follows Python (the key exists) even after every id was unmarked', async () => {
    const now = new Date('2020-05-05T00:00:00Z');
    await markEvent(t.db, 'gone', 4, { now });
    const { unmarkEvent } = await import('../src');
    await unmarkEvent(t.db, 'gone', 4, { now });
    const day = DayEvents.fromDate(t.db, 'gone', now);
    expect([await day.hasEventsMarked(), await day.count()]).toEqual([true, 0]);
  });

  it('a year is the OR of its months: counts ids once, deletes its 12 month keys', async () => {
    await markEvent(t.db, 'yr', 1, { now: new Date('2019-01-10T00:00:00Z') });
    await markEvent(t.db, 'yr', 1, { now: new Date('2019-06-10T00:00:00Z') });
    await markEvent(t.db, 'yr', 2, { now: new Date('2019-12-31T23:00:00Z') });
    await markEvent(t.db, 'yr', 3, { now: new Date('2020-01-01T00:00:00Z') });
    const y = new YearEvents(t.db, 'yr', 2019);
    expect(await y.count()).toBe(2);
    expect([await y.has(1), await y.has(2), await y.has(3)]).toEqual([true, true, false]);
    const ids: number[] = [];
    for await (const id of y) ids.push(id);
    expect(ids).toEqual([1, 2]);
    expect(await y.next().count()).toBe(1);
    await y.delete();
    expect(await new MonthEvents(t.db, 'yr', 2019, 6).hasEventsMarked()).toBe(false);
    expect(await y.count()).toBe(0);
    expect(await new MonthEvents(t.db, 'yr', 2020, 1).count()).toBe(1);
  });

  it('reports a key of another type as WrongTypeError', async () => {
    const day = new DayEvents(t.db, 'typed', 2020, 1, 1);
    await t.rawCommand(['RPUSH', day.key, 'x'], day.key);
    await expect(day.count()).rejects.toMatchObject({ name: 'WrongTypeError', key: day.key, actual: 'list' });
    await expect(day.and(new DayEvents(t.db, 'other', 2020, 1, 1)).count()).rejects.toBeInstanceOf(WrongTypeError);
  });

  it('with hashTag: false, a year spans slots: CrossSlotError on a cluster, Python-named OR key otherwise', async () => {
    const db = await t.connect({ hashTag: false });
    if (t.isCluster) {
      expect(() => new YearEvents(db, 'e', 2014)).toThrow(CrossSlotError);
      return;
    }
    const y = new YearEvents(db, 'e', 2014);
    expect(y.key).toBe(`${t.prefix}trackist_bitop_OR_${Array.from({ length: 12 }, (_, i) => `${t.prefix}trackist_e_2014-${i + 1}`).join('-')}`);
  });
});
