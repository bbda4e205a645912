import { CrossSlotError, InvalidArgumentError, WrongTypeError, fromClient, keySlot } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { DayEvents, HourEvents, MonthEvents, UniqueEvents, WeekEvents, markEvent, markUnique, unmarkEvent, unmarkUnique } from '../src';

const now = new Date('2014-01-01T08:30:00Z');

describeTopologies('markEvent', (t) => {
  const getbit = (key: string, id: number) => t.rawCommand<number>(['GETBIT', key, String(id)], key).then(Number);
  const exists = (key: string) => t.rawCommand<number>(['EXISTS', key], key).then(Number);
  const tagged = (rest: string) => t.key(`{trackist}_${rest}`);

  it('sets the bit in the month, ISO week and day keys, named like bitmapist, all in one slot', async () => {
    await markEvent(t.db, 'active', 123, { now });
    for (const k of ['active_2014-1', 'active_W2014-1', 'active_2014-1-1']) expect(await getbit(tagged(k), 123)).toBe(1);
    expect(await exists(tagged('active_2014-1-1-8'))).toBe(0);
    expect(await exists(tagged('active_u'))).toBe(0);
    expect(new Set(['active_2014-1', 'active_W2014-1', 'active_2014-1-1', 'x_u'].map((k) => keySlot(tagged(k)))).size).toBe(1);
  });

  it('marks the hour with trackHourly and the unique set with trackUnique', async () => {
    await markEvent(t.db, 'login', 7, { now, trackHourly: true, trackUnique: true });
    expect(await getbit(tagged('login_2014-1-1-8'), 7)).toBe(1);
    expect(await getbit(tagged('login_u'), 7)).toBe(1);
    expect(await new HourEvents(t.db, 'login', 2014, 1, 1, 8).has(7)).toBe(true);
    expect(await new UniqueEvents(t.db, 'login').count()).toBe(1);
  });

  it('uses the ISO week: 1 January 2016 is marked in W2015-53', async () => {
    await markEvent(t.db, 'ny', 1, { now: new Date('2016-01-01T00:00:00Z') });
    expect(await getbit(tagged('ny_W2015-53'), 1)).toBe(1);
    expect(await new WeekEvents(t.db, 'ny', 2015, 53).has(1)).toBe(true);
    expect(await getbit(tagged('ny_2016-1'), 1)).toBe(1);
  });

  it('unmarkEvent clears the same bits and leaves the others', async () => {
    await markEvent(t.db, 'u', 5, { now, trackHourly: true });
    await markEvent(t.db, 'u', 6, { now, trackHourly: true });
    await unmarkEvent(t.db, 'u', 5, { now, trackHourly: true });
    for (const k of ['u_2014-1', 'u_W2014-1', 'u_2014-1-1', 'u_2014-1-1-8']) {
      expect(await getbit(tagged(k), 5)).toBe(0);
      expect(await getbit(tagged(k), 6)).toBe(1);
    }
  });

  it('markUnique and unmarkUnique set and clear one bit of P_<name>_u', async () => {
    await markUnique(t.db, 'premium', 42);
    await markUnique(t.db, 'premium', 43);
    expect(await getbit(tagged('premium_u'), 42)).toBe(1);
    await unmarkUnique(t.db, 'premium', 42);
    const u = new UniqueEvents(t.db, 'premium');
    expect([await u.has(42), await u.has(43), await u.count()]).toEqual([false, true, 1]);
  });

  it('takes integer ids from 0 up (2^32 - 1 is the largest; 2^32 is refused in the bad-input test)', async () => {
    // (A mark at 2^32 - 1 works too, but allocates three 512 MB bitmaps.)
    await markEvent(t.db, 'edge', 0, { now });
    await markEvent(t.db, 'edge', 1_000_003, { now });
    const day = new DayEvents(t.db, 'edge', 2014, 1, 1);
    expect([await day.has(0), await day.has(1_000_003), await day.has(1_000_002), await day.count()]).toEqual([true, true, false, 2]);
  });

  it('rejects bad input with InvalidArgumentError before writing anything', async () => {
    const bad: [string, unknown, object][] = [
      ['', 1, {}],
      ['bad', -1, {}],
      ['bad', 1.5, {}],
      ['bad', 2 ** 32, {}],
      ['bad', '7', {}],
      ['bad', 1, { now: new Date('nope') }],
      ['bad', 1, { now: '2014-01-01' }],
      ['bad', 1, { trackHourly: 'yes' }],
      ['bad', 1, { keyPrefix: '' }],
      ['bad', 1, { keyPrefix: 'a{b}' }],
      ['bad', 1, { now: new Date('+010000-01-01T00:00:00Z') }],
    ];
    for (const [name, id, o] of bad) await expect(markEvent(t.db, name, id as number, o)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(markUnique(t.db, 'bad', -3)).rejects.toBeInstanceOf(InvalidArgumentError);
    const keys: string[] = [];
    for await (const k of t.db.scanKeys('*bad*')) keys.push(k);
    expect(keys).toEqual([]);
  });

  it('is all or nothing: a key of another type fails the mark with WrongTypeError and no bit is set', async () => {
    const day = tagged('broken_2014-1-1');
    await t.rawCommand(['HSET', day, 'f', 'v'], day);
    const err = await markEvent(t.db, 'broken', 9, { now }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: day, expected: 'string', actual: 'hash' });
    expect(await exists(tagged('broken_2014-1'))).toBe(0);
    expect(await exists(tagged('broken_W2014-1'))).toBe(0);
  });

  it('defaults "now" to Redis\' clock, not this process\' clock', async () => {
    const db = await t.connect(); // a fresh handle measures the clock offset on first use
    const skewed = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2001-02-03T04:05:06Z'));
    try {
      await markEvent(db, 'clock', 3);
    } finally {
      skewed.mockRestore();
    }
    const [sec] = await t.rawCommand<[string, string]>(['TIME'], t.key('x'));
    const server = new Date(Number(sec) * 1000);
    expect(await DayEvents.fromDate(db, 'clock', new Date(Date.UTC(2001, 1, 3))).hasEventsMarked()).toBe(false);
    // Unless the call straddled midnight UTC, the server's day holds the bit.
    const day = DayEvents.fromDate(db, 'clock', server);
    expect((await day.has(3)) || (await day.prev().has(3))).toBe(true);
  });

  it('with hashTag: false writes the Python library\'s exact key names', async () => {
    const plain = fromClient(t.raw as never, { hashTag: false });
    expect(new DayEvents(plain, 'active', 2014, 1, 1).key).toBe('trackist_active_2014-1-1');
    expect(new HourEvents(plain, 'active', 2014, 1, 1, 8).key).toBe('trackist_active_2014-1-1-8');
    expect(new WeekEvents(plain, 'active', 2015, 53).key).toBe('trackist_active_W2015-53');
    expect(new MonthEvents(plain, 'active', 2014, 12).key).toBe('trackist_active_2014-12');
    expect(new UniqueEvents(plain, 'active').key).toBe('trackist_active_u');
    expect(new DayEvents(plain, 'active', 2014, 1, 1, { keyPrefix: 'stats' }).key).toBe('stats_active_2014-1-1');

    const db = await t.connect({ hashTag: false });
    if (t.isCluster) {
      // The period keys hash to different slots: nothing is sent.
      await expect(markEvent(db, 'py', 1, { now })).rejects.toBeInstanceOf(CrossSlotError);
      expect(await exists(t.key('trackist_py_2014-1-1'))).toBe(0);
      await markUnique(db, 'py', 1); // one key: fine anywhere
      expect(await getbit(t.key('trackist_py_u'), 1)).toBe(1);
      return;
    }
    await markEvent(db, 'py', 1, { now, trackUnique: true });
    for (const k of ['trackist_py_2014-1', 'trackist_py_W2014-1', 'trackist_py_2014-1-1', 'trackist_py_u']) expect(await getbit(t.key(k), 1)).toBe(1);
  });

  it('reads what a Python backend marked (its SETBITs on its key names)', async () => {
    const db = await t.connect({ hashTag: false });
    // What `mark_event('signup', 10, now=datetime(2015, 12, 31, 23))` writes in Python:
    for (const k of ['trackist_signup_2015-12', 'trackist_signup_W2015-53', 'trackist_signup_2015-12-31']) await t.rawCommand(['SETBIT', t.key(k), '10', '1'], t.key(k));
    const when = new Date('2015-12-31T23:00:00Z');
    expect(await DayEvents.fromDate(db, 'signup', when).has(10)).toBe(true);
    expect(await WeekEvents.fromDate(db, 'signup', when).has(10)).toBe(true);
    expect(await MonthEvents.fromDate(db, 'signup', when).count()).toBe(1);
    expect(await WeekEvents.fromDate(db, 'signup', new Date('2016-01-03T12:00:00Z')).has(10)).toBe(true); // same ISO week
  });
});
