import { InvalidArgumentError, WrongTypeError, keySlot } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { DayEvents, IdMapper, deleteAllEvents, deleteTemporaryBitopKeys, getEventNames, markEvent, markUnique } from '../src';

const now = new Date('2022-02-02T02:00:00Z');

describeTopologies('data management', (t) => {
  const exists = (key: string) => t.rawCommand<number>(['EXISTS', key], key).then(Number);
  const scanAll = async (pattern: string) => {
    const out: string[] = [];
    for await (const k of t.db.scanKeys(pattern)) out.push(k);
    return out.sort();
  };

  it('getEventNames lists every event name once, filters by name prefix, skips BitOp results', async () => {
    const db = t.db.group('names'); // a fresh key space of its own
    await markEvent(db, 'task:completed', 1, { now, trackHourly: true });
    await markEvent(db, 'task:created', 1, { now, trackUnique: true });
    await markEvent(db, 'login', 2, { now });
    await markEvent(db, 'with_underscore_2', 2, { now });
    await markUnique(db, 'premium', 3);
    await DayEvents.fromDate(db, 'login', now).and(DayEvents.fromDate(db, 'task:created', now)).count();
    await markEvent(db, 'elsewhere', 1, { now, keyPrefix: 'other' });
    await db.command(['SET', db.key('{trackist}_not-an-event'), 'x']);
    expect(await getEventNames(db)).toEqual(['login', 'premium', 'task:completed', 'task:created', 'with_underscore_2']);
    expect(await getEventNames(db, { prefix: 'task:' })).toEqual(['task:completed', 'task:created']);
    expect(await getEventNames(db, { prefix: 'task:*' })).toEqual([]); // glob characters are literal
    expect(await getEventNames(db, { keyPrefix: 'other', batch: 1 })).toEqual(['elsewhere']);
    await expect(getEventNames(db, { batch: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('scans every master: Python-named keys spread over cluster slots are found and deleted', async () => {
    const db = await t.connect({ prefix: `${t.prefix}py:`, hashTag: false });
    const names = Array.from({ length: 12 }, (_, i) => `ev${i}`);
    for (const n of names) await markUnique(db, n, 1);
    await db.command(['SETBIT', db.key('trackist_ev0_2022-2-2'), '1', '1']);
    if (t.isCluster) expect(new Set(names.map((n) => keySlot(db.key(`trackist_${n}_u`)))).size).toBeGreaterThan(3);
    expect(await getEventNames(db)).toEqual([...names].sort());
    expect(await deleteAllEvents(db, { batch: 5 })).toBe(13);
    expect(await getEventNames(db)).toEqual([]);
  });

  it('event .delete() removes one period only', async () => {
    const db = t.db.group('del1');
    await markEvent(db, 'login', 1, { now });
    const yesterday = DayEvents.fromDate(db, 'login', now).prev();
    await markEvent(db, 'login', 1, { now: yesterday.periodStart() });
    await yesterday.delete();
    expect(await yesterday.hasEventsMarked()).toBe(false);
    expect(await DayEvents.fromDate(db, 'login', now).has(1)).toBe(true);
  });

  it('deleteTemporaryBitopKeys deletes every P_bitop_* key, whoever made it, and nothing else', async () => {
    const db = t.db.group('tmp');
    await markEvent(db, 'a', 1, { now });
    await markEvent(db, 'b', 1, { now });
    const a = DayEvents.fromDate(db, 'a', now);
    const b = DayEvents.fromDate(db, 'b', now);
    const ops = [a.and(b), a.or(b), a.xor(b).not()];
    for (const op of ops) await op.count();
    const other = await t.connect({ prefix: db.prefix }); // "another process"
    await DayEvents.fromDate(other, 'a', now).not().count();
    expect(await deleteTemporaryBitopKeys(db)).toBe(5); // AND, OR, XOR, NOT(XOR), NOT(a)
    for (const op of ops) expect(await exists(op.key)).toBe(0);
    expect(await a.has(1)).toBe(true);
    expect(await ops[0].count()).toBe(1); // computed again after the deletion
  });

  it('deleteAllEvents deletes every key of the prefix (events and results) and keeps the rest', async () => {
    const db = t.db.group('all');
    for (let id = 0; id < 5; id++) await markEvent(db, `e${id}`, id, { now, trackHourly: true, trackUnique: true });
    await DayEvents.fromDate(db, 'e1', now).or(DayEvents.fromDate(db, 'e2', now)).count();
    await markEvent(db, 'kept', 1, { now, keyPrefix: 'other' });
    await db.command(['SET', db.key('unrelated'), 'x']);
    const mapper = new IdMapper(db);
    await mapper.toInt('alice');
    expect(await deleteAllEvents(db)).toBe(5 * 5 + 1);
    expect(await getEventNames(db)).toEqual([]);
    const left = [mapper.key, `${mapper.key}:rev`, `${mapper.key}:seq`, ...['{other}_kept_2022-2', '{other}_kept_2022-2-2', '{other}_kept_W2022-5', 'unrelated'].map((k) => db.key(k))];
    expect(await scanAll('{all}:*')).toEqual(left.map((k) => k.slice(t.prefix.length)).sort());
    expect(await deleteAllEvents(db, { keyPrefix: 'other' })).toBe(3);
  });
});

describeTopologies('IdMapper', (t) => {
  it('maps string ids to dense integers from 0, stably, both ways', async () => {
    const m = new IdMapper(t.db, 'users');
    expect(await m.toInt('alice@example.com')).toBe(0);
    expect(await m.toInt('bob')).toBe(1);
    expect(await m.toInt('alice@example.com')).toBe(0);
    expect(await m.lookup('bob')).toBe(1);
    expect(await m.lookup('carol')).toBeUndefined();
    expect(await m.toId(1)).toBe('bob');
    expect(await m.toId(2)).toBeUndefined();
    expect(m.key).toBe(t.key('{trackist}:idmap:users'));
    const other = new IdMapper(t.db, 'teams');
    expect(await other.toInt('bob')).toBe(0);
  });

  it('hands out each integer once under 50 concurrent callers', async () => {
    const m = new IdMapper(t.db, 'race');
    const names = Array.from({ length: 50 }, (_, i) => `user-${i % 25}`);
    const ints = await Promise.all(names.map((n) => m.toInt(n)));
    const byName = new Map<string, Set<number>>();
    names.forEach((n, i) => byName.set(n, (byName.get(n) ?? new Set()).add(ints[i])));
    expect([...byName.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set(ints)).toEqual(new Set(Array.from({ length: 25 }, (_, i) => i)));
    for (let i = 0; i < 25; i++) expect(await m.toId(ints[i])).toBe(names[i]);
  });

  it('feeds markEvent with string ids', async () => {
    const m = new IdMapper(t.db);
    for (const u of ['x@a', 'y@b', 'x@a']) await markEvent(t.db, 'mapped', await m.toInt(u), { now });
    const day = DayEvents.fromDate(t.db, 'mapped', now);
    const names: (string | undefined)[] = [];
    for await (const id of day) names.push(await m.toId(id));
    expect(names).toEqual(['x@a', 'y@b']);
  });

  it('refuses empty ids and names, and reports foreign key types', async () => {
    const m = new IdMapper(t.db, 'bad');
    await expect(m.toInt('')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(m.toId(-1)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => new IdMapper(t.db, '')).toThrow(InvalidArgumentError);
    await t.rawCommand(['RPUSH', m.key, 'x'], m.key);
    await expect(m.toInt('a')).rejects.toBeInstanceOf(WrongTypeError);
    await expect(m.lookup('a')).rejects.toBeInstanceOf(WrongTypeError);
    // A foreign reverse key fails the call before anything is written.
    const half = new IdMapper(t.db, 'half');
    await t.rawCommand(['SET', `${half.key}:rev`, 'x'], half.key);
    await expect(half.toInt('a')).rejects.toMatchObject({ name: 'WrongTypeError', key: `${half.key}:rev`, actual: 'string' });
    expect(Number(await t.rawCommand(['EXISTS', half.key, `${half.key}:seq`], half.key))).toBe(0);
  });
});
