import { CrossSlotError, MultipleResultsError, NotFoundError, replyObject } from '@walrus/core';
import { and, date, defineModel, or, text } from '@walrus/models';
import { describeTopologies } from '@walrus/testing';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const day = (x: Date | null) => x?.toISOString().slice(0, 10);

// The User walk-through of the walrus documentation ("Models"), step by step.
describeTopologies('models: the User example', (t) => {
  const model = () => defineModel(t.db, 'user', { name: text({ primaryKey: true }), dob: date({ index: true }) });
  let User: ReturnType<typeof model>;

  beforeAll(async () => {
    User = model();
    await User.create({ name: 'Charlie', dob: d('1983-01-01') });
    for (const [name, dob] of [
      ['Huey', '2011-06-01'],
      ['Zaizee', '2012-05-01'],
      ['Mickey', '2007-08-01'],
    ] as const)
      await User.create({ name, dob: d(dob) });
  });

  it('creates records as hashes in the Python storage format, with their indexes', async () => {
    const raw = await t.db.command(['HGETALL', t.key('{user}:id.Charlie')]);
    expect(replyObject(raw)).toEqual({ name: 'Charlie', dob: '410227200.0' });
    const all = await t.db.command<string[]>(['SMEMBERS', t.key('{user}:all')]);
    expect(all.sort()).toEqual(['{user}:id.Charlie', '{user}:id.Huey', '{user}:id.Mickey', '{user}:id.Zaizee']);
    expect(await t.db.command(['SMEMBERS', t.key('{user}:dob.absolute.410227200.0')])).toEqual(['{user}:id.Charlie']);
    expect(await t.db.command(['SMEMBERS', t.key('{user}:name.absolute.Charlie')])).toEqual(['{user}:id.Charlie']);
    expect(await t.db.command(['ZSCORE', t.key('{user}:dob.continuous'), '{user}:id.Mickey'])).toBe(String(Date.UTC(2007, 7, 1) / 1000));
  });

  it('loads by primary key, updates and deletes', async () => {
    const zaizee = await User.load('Zaizee');
    expect(zaizee.name).toBe('Zaizee');
    expect(day(zaizee.dob)).toBe('2012-05-01');
    expect(zaizee.$key).toBe(t.key('{user}:id.Zaizee'));
    zaizee.dob = d('2012-04-01');
    await zaizee.save();
    expect(day((await User.load('Zaizee')).dob)).toBe('2012-04-01');
    // The old date's index entry is gone, the new one is there.
    expect(await t.db.command(['EXISTS', t.key(`{user}:dob.absolute.${Date.UTC(2012, 4, 1) / 1000}.0`)])).toBe(0);
    expect(await t.db.command(['SMEMBERS', t.key(`{user}:dob.absolute.${Date.UTC(2012, 3, 1) / 1000}.0`)])).toEqual(['{user}:id.Zaizee']);

    const nobody = await User.create({ name: 'nobody', dob: d('1990-01-01') });
    expect(await User.count()).toBe(5);
    await nobody.delete();
    expect(await User.count()).toBe(4);
    await expect(User.load('nobody')).rejects.toThrow(NotFoundError);
    expect(await t.db.command(['EXISTS', t.key('{user}:name.absolute.nobody'), t.key(`{user}:dob.absolute.${Date.UTC(1990, 0, 1) / 1000}.0`)])).toBe(0);
  });

  it('iterates all records (any order)', async () => {
    const names: string[] = [];
    for await (const u of User.all()) names.push(u.name);
    expect(names.sort()).toEqual(['Charlie', 'Huey', 'Mickey', 'Zaizee']);
  });

  it('sorts by a field, ascending and descending', async () => {
    expect((await User.query({ orderBy: User.fields.name.asc() })).map((u) => u.name)).toEqual(['Charlie', 'Huey', 'Mickey', 'Zaizee']);
    expect((await User.query({ orderBy: User.fields.dob.desc() })).map((u) => day(u.dob))).toEqual(['2012-04-01', '2011-06-01', '2007-08-01', '1983-01-01']);
  });

  it('filters with ranges, get() needs exactly one result', async () => {
    const before2009 = await User.query({ where: User.fields.dob.le(d('2009-01-01')) });
    expect(before2009.map((u) => day(u.dob)).sort().reverse()).toEqual(['2007-08-01', '1983-01-01']);
    const charlie = await User.get(User.fields.name.eq('Charlie'));
    expect(charlie.name).toBe('Charlie');
    await expect(User.get(User.fields.name.eq('missing'))).rejects.toThrow(NotFoundError);
    const many = await User.get(User.fields.dob.gt(d('2000-01-01'))).catch((e: unknown) => e);
    expect(many).toBeInstanceOf(MultipleResultsError);
    expect((many as MultipleResultsError).count).toBe(3);
  });

  it('combines filters with and / or, and between', async () => {
    const low = d('2006-01-01');
    const high = d('2012-01-01');
    const dobs = async (where: Parameters<typeof User.query>[0]) => (await User.query(where)).map((u) => day(u.dob)).sort().reverse();
    expect(await dobs({ where: and(User.fields.dob.ge(low), User.fields.dob.le(high)) })).toEqual(['2011-06-01', '2007-08-01']);
    expect(await dobs({ where: User.fields.dob.between(low, high) })).toEqual(['2011-06-01', '2007-08-01']);
    expect(await dobs({ where: or(User.fields.dob.le(low), User.fields.dob.ge(high)) })).toEqual(['2012-04-01', '1983-01-01']);
  });

  it('combines filters with ordering', async () => {
    const expr = or(User.fields.name.eq('Charlie'), User.fields.name.eq('Zaizee'));
    expect((await User.query({ where: expr, orderBy: User.fields.name.asc() })).map((u) => u.name)).toEqual(['Charlie', 'Zaizee']);
    expect((await User.query({ where: User.fields.name.ne('Charlie'), orderBy: User.fields.name.desc() })).map((u) => u.name)).toEqual(['Zaizee', 'Mickey', 'Huey']);
  });

  it('pages with limit and offset, counts matches', async () => {
    const page = await User.query({ orderBy: User.fields.dob.asc(), offset: 1, limit: 2 });
    expect(page.map((u) => u.name)).toEqual(['Mickey', 'Huey']);
    expect(await User.query({ limit: 0 })).toEqual([]);
    expect(await User.count(User.fields.dob.lt(d('2011-06-01')))).toBe(2);
    expect(await User.count(User.fields.dob.lt(d('1900-01-01')))).toBe(0);
  });

  it('leaves no temporary keys behind after queries', async () => {
    await User.query({ where: or(and(User.fields.dob.ge(d('2000-01-01')), User.fields.name.ne('Huey')), User.fields.name.eq('Charlie')) });
    const temps: string[] = [];
    for await (const k of t.db.scanKeys('temp.*')) temps.push(k);
    expect(temps).toEqual([]);
  });

  it('uses the Python key names with hashTag: false (one slot needed on a cluster)', async () => {
    const Py = defineModel(t.db, 'pyuser', { name: text({ primaryKey: true }), dob: date({ index: true }) }, { hashTag: false });
    if (t.isCluster) {
      await expect(Py.create({ name: 'Charlie', dob: d('1983-01-01') })).rejects.toThrow(CrossSlotError);
      expect(await t.db.command(['EXISTS', t.key('pyuser:id.Charlie')])).toBe(0);
      // Under a group tag every key shares the group's slot.
      const grouped = defineModel(t.db.group('py'), 'user', { name: text({ primaryKey: true }), dob: date({ index: true }) }, { hashTag: false });
      await grouped.create({ name: 'Charlie', dob: d('1983-01-01') });
      expect(await t.db.command(['HGET', t.key('{py}:user:id.Charlie'), 'dob'])).toBe('410227200.0');
      return;
    }
    await Py.create({ name: 'Charlie', dob: d('1983-01-01') });
    const keys: string[] = [];
    for await (const k of t.db.scanKeys('pyuser:*')) keys.push(k);
    expect(keys.sort()).toEqual(['pyuser:all', 'pyuser:dob.absolute.410227200.0', 'pyuser:dob.continuous', 'pyuser:id.Charlie', 'pyuser:name.absolute.Charlie']);
    expect((await Py.query({ where: Py.fields.dob.le(d('2000-01-01')) })).map((u) => u.name)).toEqual(['Charlie']);
  });
});
