import { InvalidArgumentError, ValidationError, replyObject } from '@walrus/core';
import { autoIncrement, boolean, bytes, date, dateTime, defineModel, float, integer, json, setField, text, uuid } from '@walrus/models';
import { describeTopologies } from '@walrus/testing';
import { validate as isUuid, version as uuidVersion } from 'uuid';

describeTopologies('models: field kinds', (t) => {
  const hash = async (key: string) => replyObject(await t.db.command(['HGETALL', t.key(key)]));

  it('stores every kind in the Python walrus format and reads it back', async () => {
    const Thing = defineModel(t.db, 'thing', {
      name: text({ primaryKey: true }),
      count: integer(),
      ratio: float(),
      whole: float(),
      big: float(),
      blob: bytes(),
      on: boolean(),
      off: boolean(),
      ref: uuid(),
      at: dateTime(),
      day: date(),
      data: json<{ a: number[]; b: string | null }>(),
      nothing: text(),
    });
    const blob = Buffer.from([0, 1, 2, 250, 255]);
    await Thing.create({
      name: 'x',
      count: -42,
      ratio: 0.1,
      whole: 3,
      big: 1e16,
      blob,
      on: true,
      off: false,
      ref: '1B4E28BA-2FA1-11D2-883F-0016D3CCA427',
      at: new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 600)),
      day: new Date(Date.UTC(1983, 0, 1, 15, 30)),
      data: { a: [1, 2], b: null },
      nothing: null,
    });
    const stored = await hash('{thing}:id.x');
    expect(stored).toEqual({
      name: 'x',
      count: '-42',
      ratio: '0.1',
      whole: '3.0',
      big: '1e+16',
      blob: blob.toString('utf8'),
      on: '1',
      off: '0',
      ref: '1b4e28ba2fa111d2883f0016d3cca427',
      at: '1577934245.6',
      day: '410227200.0',
      data: '{"a":[1,2],"b":null}',
    });
    expect(await t.db.command(['HGET', t.key('{thing}:id.x'), 'blob'], { buffers: true })).toEqual(blob);
    const x = await Thing.load('x');
    expect(x.count).toBe(-42);
    expect(x.ratio).toBe(0.1);
    expect(x.whole).toBe(3);
    expect(x.big).toBe(1e16);
    expect(x.blob).toEqual(blob);
    expect(x.on).toBe(true);
    expect(x.off).toBe(false);
    expect(x.ref).toBe('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(x.at?.toISOString()).toBe('2020-01-02T03:04:05.600Z');
    expect(x.day?.toISOString()).toBe('1983-01-01T00:00:00.000Z');
    expect(x.data).toEqual({ a: [1, 2], b: null });
    expect(x.nothing).toBeNull();
    expect(x.toHash()).toEqual({ ...stored, blob: blob.toString('latin1') });
  });

  it('reads data written by Python walrus (empty strings for None, True/False booleans)', async () => {
    const Py = defineModel(t.db, 'py', { name: text({ primaryKey: true }), n: integer(), f: float(), on: boolean(), at: dateTime(), note: text() });
    await t.db.command(['HSET', t.key('{py}:id.a'), 'name', 'a', 'n', '', 'f', '2', 'on', 'True', 'at', '', 'note', '']);
    const a = await Py.load('a');
    expect(a).toMatchObject({ name: 'a', n: null, f: 2, on: true, at: null, note: '' });
  });

  it('generates v7 UUID primary keys by default, v4 on request', async () => {
    const V7 = defineModel(t.db, 'v7', { id: uuid({ primaryKey: true }), title: text() });
    const V4 = defineModel(t.db, 'v4', { id: uuid({ primaryKey: true, version: 4 }), title: text() });
    const a = await V7.create({ title: 'a' });
    const b = await V7.create({ title: 'b' });
    expect(isUuid(a.id) && uuidVersion(a.id)).toBe(7);
    expect(a.id < b.id).toBe(true);
    expect(a.$key).toBe(t.key(`{v7}:id.${a.id}`));
    expect(await t.db.command(['HGET', a.$key, 'id'])).toBe(a.id.replace(/-/g, ''));
    expect((await V7.load(a.id)).title).toBe('a');
    expect(uuidVersion((await V4.create({ title: 'c' })).id)).toBe(4);
  });

  it('takes autoIncrement values from per-field counters', async () => {
    const Ticket = defineModel(t.db, 'ticket', { code: text({ primaryKey: true }), seq: autoIncrement() });
    const a = await Ticket.create({ code: 'a' });
    const b = await Ticket.create({ code: 'b' });
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(await t.db.command(['GET', t.key('{ticket}:seq._sequence')])).toBe('2');
    await a.save();
    expect(a.seq).toBe(1);
    const parallel = await Promise.all(Array.from({ length: 20 }, (_, i) => Ticket.create({ code: `p${i}` })));
    expect(new Set(parallel.map((p) => p.seq)).size).toBe(20);
  });

  it('applies defaults (values and functions), and null stays null', async () => {
    let n = 0;
    const Post = defineModel(t.db, 'post', { title: text(), views: integer({ default: 0 }), slug: text({ default: () => `s${++n}` }), tags: json({ default: () => [] as string[] }) });
    const p = Post.build({ title: 'hi' });
    expect(p).toMatchObject({ title: 'hi', views: 0, slug: 's1', tags: [] });
    expect(Post.build({ title: 'x', views: null }).views).toBeNull();
    expect(Post.build({}).slug).toBe('s3');
  });

  it('rejects bad values with a ValidationError naming the field and the value, writing nothing', async () => {
    const Person = defineModel(t.db, 'person', { name: text({ primaryKey: true }), age: integer({ index: true }), born: date(), score: float() });
    const bad: [string, unknown][] = [
      ['age', 'forty'],
      ['age', 1.5],
      ['born', new Date('nope')],
      ['born', '1983-01-01'],
      ['score', Number.NaN],
      ['score', Infinity],
      ['name', 42],
    ];
    for (const [field, value] of bad) {
      const err = (() => {
        try {
          Person.build({ name: 'a', [field]: value } as never);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ field, value });
      expect((err as Error).message).toContain(`person.${field}`);
    }
    const p = Person.build({ name: 'a', age: 3 });
    (p as { age: unknown }).age = 'x';
    await expect(p.save()).rejects.toMatchObject({ name: 'ValidationError', field: 'age', value: 'x' });
    const noKey = Person.build({ name: 'b' });
    (noKey as { name: unknown }).name = null;
    await expect(noKey.save()).rejects.toMatchObject({ name: 'ValidationError', field: 'name' });
    const keys: string[] = [];
    for await (const k of t.db.scanKeys('{person}*')) keys.push(k);
    expect(keys).toEqual([]);
  });

  it('rejects bad schemas and misused fields with InvalidArgumentError', () => {
    const bad = [
      { save: text() },
      { $key: text() },
      { then: text() },
      { 'a-b': text() },
      { a: text({ primaryKey: true }), b: text({ primaryKey: true }) },
      { a: float({ primaryKey: true } as never) },
      { a: bytes({ index: true } as never) },
      { a: integer({ fts: true } as never) },
      { _id: text() },
      { a: 'text' as never },
    ];
    for (const schema of bad) expect(() => defineModel(t.db, 'bad', schema as never)).toThrow(InvalidArgumentError);
    expect(() => defineModel(t.db, '', { a: text() })).toThrow(InvalidArgumentError);
    expect(() => defineModel(t.db, 'a{b}', { a: text() })).toThrow(InvalidArgumentError);
    const M = defineModel(t.db, 'misuse', { plain: text(), n: integer({ index: true }), label: text({ index: true }), tags: setField() });
    expect(() => M.fields.plain.eq('x')).toThrow(/no index/);
    expect(() => M.fields.label.lt('x')).toThrow(/range/);
    expect(() => M.fields.n.match('x')).toThrow(/full-text/);
    expect(() => M.fields.n.eq('x' as never)).toThrow(ValidationError);
    expect(() => M.build({ nope: 1 } as never)).toThrow(InvalidArgumentError);
    expect('tags' in M.fields).toBe(false);
    const Other = defineModel(t.db, 'other', { n: integer({ index: true }) });
    return Promise.all([
      expect(M.query({ where: Other.fields.n.eq(1) })).rejects.toThrow(InvalidArgumentError),
      expect(M.query({ where: { op: 'eq' } as never })).rejects.toThrow(InvalidArgumentError),
      expect(M.query({ orderBy: Other.fields.n.asc() })).rejects.toThrow(InvalidArgumentError),
      expect(M.query({ limit: -1 })).rejects.toThrow(InvalidArgumentError),
    ]);
  });

  it('refuses to change the primary key of a stored record', async () => {
    const Tag = defineModel(t.db, 'tag', { name: text({ primaryKey: true }) });
    const tag = await Tag.create({ name: 'a' });
    tag.name = 'b';
    await expect(tag.save()).rejects.toThrow(InvalidArgumentError);
    expect(await Tag.count()).toBe(1);
  });
});
