import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, NotFoundError, WrongTypeError } from '@walrus/core';
import { Stream } from '@walrus/streams';
import { describeTopologies } from '@walrus/testing';

describeTopologies('Stream', (t) => {
  it('adds entries, reads ranges (inclusive, limited by count) and iterates', async () => {
    const stream = new Stream(t.db, 'stream-a');
    const id1 = await stream.add({ message: 'hello streams' });
    expect(id1).toMatch(/^\d+-\d+$/);
    const id2 = await stream.add({ message: 'message 2' });
    const id3 = await stream.add({ message: 'message 3', n: 3, bin: Buffer.from('é') });
    expect(stream.key).toBe(t.key('stream-a'));
    expect(await stream.range({ start: id2 })).toEqual([
      { id: id2, data: { message: 'message 2' } },
      { id: id3, data: { message: 'message 3', n: '3', bin: 'é' } },
    ]);
    expect((await stream.range({ start: id1, count: 2 })).map((e) => e.id)).toEqual([id1, id2]);
    expect((await stream.range({ start: `(${id1}`, end: id2 })).map((e) => e.id)).toEqual([id2]);
    expect((await stream.revRange({ count: 2 })).map((e) => e.id)).toEqual([id3, id2]);
    expect(await stream.get(id2)).toEqual({ id: id2, data: { message: 'message 2' } });
    expect(await stream.get('1-1')).toBeUndefined();
    const all: string[] = [];
    for await (const e of stream) all.push(e.id);
    expect(all).toEqual([id1, id2, id3]);
    const paged: string[] = [];
    for await (const e of stream.scan({ count: 2 })) paged.push(e.data.message);
    expect(paged).toEqual(['hello streams', 'message 2', 'message 3']);
  });

  it('deletes by id and reports its size', async () => {
    const stream = new Stream(t.db, 'stream-del');
    await stream.addMany([{ m: '1' }, { m: '2' }, { m: '3' }]);
    const id4 = await stream.add({ message: 'delete me' });
    expect(await stream.delete(id4)).toBe(1);
    expect(await stream.delete(id4)).toBe(0);
    expect(await stream.delete()).toBe(0);
    expect(await stream.size()).toBe(3);
    expect(await new Stream(t.db, 'missing').size()).toBe(0);
  });

  it('trims approximately by default and exactly when asked (the documented 1000-item example)', async () => {
    const stream2 = new Stream(t.db, 'stream-2');
    const ids = await stream2.addMany(Array.from({ length: 1000 }, (_, i) => ({ data: `message-${i}` })));
    expect(ids).toHaveLength(1000);
    expect(await stream2.size()).toBe(1000);
    const removed = await stream2.trim({ maxLen: 10 });
    const left = await stream2.size();
    expect(removed).toBe(1000 - left);
    expect(left).toBeGreaterThanOrEqual(10);
    expect(left).toBeLessThan(1000);
    expect(await stream2.trim({ maxLen: 10 }, { approximate: false })).toBe(left - 10);
    expect(await stream2.size()).toBe(10);
    expect((await stream2.range()).map((e) => e.data.data)).toEqual(Array.from({ length: 10 }, (_, i) => `message-${990 + i}`));
    expect(await stream2.trim({ minId: ids[995] }, { approximate: false })).toBe(5);
    await expect(stream2.trim({ maxLen: 1 }, { approximate: false, limit: 5 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('trims in the same XADD with maxLen / minId', async () => {
    const s = new Stream(t.db, 'capped');
    for (let i = 0; i < 5; i++) await s.add({ i }, { maxLen: 3, approximate: false });
    expect((await s.range()).map((e) => e.data.i)).toEqual(['2', '3', '4']);
    await s.add({ i: 9 }, { id: '9999999999999-0', minId: '9999999999999-0', approximate: false });
    expect((await s.range()).map((e) => e.id)).toEqual(['9999999999999-0']);
  });

  it('reads after an id (exclusive), everything by default, and blocks for new entries', async () => {
    const stream = new Stream(t.db, 'reader');
    const [a, b, c] = await stream.addMany([{ m: 'a' }, { m: 'b' }, { m: 'c' }]);
    expect((await stream.read()).map((e) => e.id)).toEqual([a, b, c]);
    expect((await stream.read({ lastId: b })).map((e) => e.id)).toEqual([c]);
    expect(await stream.read({ lastId: c })).toEqual([]);
    expect((await stream.read({ count: 1 })).map((e) => e.id)).toEqual([a]);

    const t0 = Date.now();
    expect(await stream.read({ lastId: '$', block: 200 })).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);

    const waiting = stream.read({ lastId: '$', block: '5s' });
    await sleep(50);
    const d = await stream.add({ m: 'd' });
    expect(await waiting).toEqual([{ id: d, data: { m: 'd' } }]);
  });

  it('cuts a blocked read short when its signal aborts, and other commands keep working', async () => {
    const stream = new Stream(t.db, 'abortable');
    const ctrl = new AbortController();
    const waiting = stream.read({ lastId: '$', block: Infinity, signal: ctrl.signal });
    await sleep(30);
    ctrl.abort(new Error('enough'));
    await expect(waiting).rejects.toThrow('enough');
    expect(await stream.size()).toBe(0);
    await expect(stream.read({ block: 10, signal: AbortSignal.abort() })).rejects.toBeDefined();
  });

  it('reports XINFO camelCased and sets the last id', async () => {
    const s = new Stream(t.db, 'info');
    const [first, , last] = await s.addMany([{ a: '1' }, { a: '2' }, { a: '3' }]);
    const info = await s.info();
    expect(info).toMatchObject({ length: 3, lastGeneratedId: last, groups: 0, firstEntry: { id: first, data: { a: '1' } }, lastEntry: { id: last, data: { a: '3' } } });
    expect(await s.groupsInfo()).toEqual([]);
    await s.setId('99999999999999-0');
    expect((await s.info()).lastGeneratedId).toBe('99999999999999-0');
    await expect(s.setId('1-0')).rejects.toBeInstanceOf(InvalidArgumentError);
    const id = await s.add({ a: '4' });
    expect(id.startsWith('99999999999999-')).toBe(true);
    await expect(new Stream(t.db, 'nope').info()).rejects.toBeInstanceOf(NotFoundError);
    await expect(new Stream(t.db, 'nope').setId('5-0')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects malformed ids and data before sending anything', async () => {
    const s = new Stream(t.db, 'strict');
    await expect(s.add({ a: '1' }, { id: 'abc' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.add({ a: '1' }, { id: '0-0' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.add({})).rejects.toThrow(/at least one field/);
    await expect(s.add({ a: NaN })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.add({ a: true as never })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.add({ a: '1' }, { maxLen: 5, minId: '1-0' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.get('nope')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.range({ start: '1-x' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.read({ lastId: '>' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.delete('1-1', 'bad')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.read({ count: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.addMany([{ a: '1' }, {}, { a: '3' }])).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await s.exists()).toBe(false);
    expect(() => new Stream(t.db, '')).toThrow(InvalidArgumentError);
  });

  it('rejects ids that do not increase, leaving the stream unchanged', async () => {
    const s = new Stream(t.db, 'increasing');
    expect(await s.add({ a: '1' }, { id: '5-5' })).toBe('5-5');
    const err = await s.add({ a: '2' }, { id: '5-5' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(/equal or smaller/);
    await expect(s.add({ a: '2' }, { id: '4' })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await s.add({ a: '3' }, { id: '5-*' })).toBe('5-6');
    expect((await s.range()).map((e) => e.id)).toEqual(['5-5', '5-6']);
  });

  it('names the key in a WrongTypeError for a key of another type, writing nothing', async () => {
    await t.db.command(['SET', t.key('plain'), 'x']);
    const s = new Stream(t.db, 'plain');
    for (const op of [() => s.add({ a: '1' }), () => s.range(), () => s.read(), () => s.size(), () => s.addMany([{ a: '1' }, { a: '2' }])]) {
      const err = await op().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongTypeError);
      expect(err).toMatchObject({ key: t.key('plain'), expected: 'stream', actual: 'string' });
    }
    expect(await t.db.command(['GET', t.key('plain')])).toBe('x');
  });

  it('manages the key like any container', async () => {
    const s = new Stream(t.db, 'container');
    expect(await s.ttl()).toBeUndefined();
    await s.add({ a: '1' });
    expect(await s.exists()).toBe(true);
    expect(await s.ttl()).toBeNull();
    expect(await s.expire('10s')).toBe(true);
    const ttl = await s.ttl();
    expect(ttl).toBeGreaterThan(8000);
    expect(ttl).toBeLessThanOrEqual(10000);
    expect(await s.persist()).toBe(true);
    const dump = await s.dump();
    expect(Buffer.isBuffer(dump)).toBe(true);
    expect(await s.clear()).toBe(true);
    expect(await s.dump()).toBeUndefined();
  });
});
