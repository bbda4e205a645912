import { ConflictError, InvalidArgumentError, NotFoundError, WrongTypeError } from '@walrus/core';
import { defineModel, float, integer, setField, text } from '@walrus/models';
import { describeTopologies } from '@walrus/testing';
import { checkIndexes } from './consistency';

describeTopologies('models: atomic writes', (t) => {
  const define = (name: string) =>
    defineModel(t.db, name, { name: text({ primaryKey: true }), team: text({ index: true }), age: integer({ index: true }), bio: text({ fts: true }), tags: setField() });
  const layout = (name: string) => ({ base: `{${name}}:`, absolute: ['name', 'team', 'age'], continuous: ['age'], fts: ['bio'] });

  it('re-indexes cleanly when create() replaces a record', async () => {
    const P = define('replace');
    await P.create({ name: 'a', team: 'red', age: 1, bio: 'walrus tusks' });
    await P.create({ name: 'a', team: 'blue' });
    const a = await P.load('a');
    expect(a).toMatchObject({ team: 'blue', age: null, bio: null });
    expect(await P.count(P.fields.team.eq('red'))).toBe(0);
    expect(await P.count(P.fields.age.ge(0))).toBe(0);
    expect(await P.count(P.fields.bio.match('walrus'))).toBe(0);
    expect(await checkIndexes(t.db, layout('replace'))).toEqual({ problems: [], records: 1 });
  });

  it('re-plans a save computed from a stale read (optimistic check), leaving indexes exact', async () => {
    const P = define('stale');
    await P.create({ name: 'a', team: 'red', age: 30, bio: 'likes python' });
    const first = await P.load('a');
    const second = await P.load('a');
    first.team = 'green';
    first.bio = 'likes redis';
    await first.save();
    second.age = 31; // still believes team = red, bio = 'likes python'
    await second.save();
    const now = await P.load('a');
    expect(now).toMatchObject({ team: 'red', age: 31, bio: 'likes python' });
    expect((await P.query({ where: P.fields.team.eq('green') })).length).toBe(0);
    expect((await P.query({ where: P.fields.bio.match('redis') })).length).toBe(0);
    expect(await checkIndexes(t.db, layout('stale'))).toEqual({ problems: [], records: 1 });
    // A stale delete also removes the index entries the record has now.
    first.team = 'x';
    await first.delete();
    expect(await checkIndexes(t.db, layout('stale'))).toEqual({ problems: [], records: 0 });
  });

  it('keeps indexes exact under 50 racing writers (each succeeds or fails whole with ConflictError)', async () => {
    const P = define('race');
    await P.create({ name: 'r', team: 't0', age: 0, bio: 'start' });
    const teams = ['red', 'green', 'blue'];
    const words = ['python redis', 'walrus tusks', 'valkey fork', 'lua scripts'];
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, async (_, i) => {
        const r = await P.load('r');
        r.team = teams[i % 3];
        r.age = i;
        r.bio = words[i % 4];
        await r.save();
      }),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    for (const f of failures) expect(f).toBeInstanceOf(ConflictError);
    expect(failures.length).toBeLessThan(50);
    expect(await checkIndexes(t.db, layout('race'))).toEqual({ problems: [], records: 1 });
  });

  it('writes nothing when a key has the wrong type, and names the key', async () => {
    const P = define('wrongtype');
    await P.create({ name: 'a', team: 'red', age: 5 });
    const blocker = t.key('{wrongtype}:team.absolute.blue');
    await t.db.command(['SET', blocker, 'not a set']);
    const a = await P.load('a');
    a.team = 'blue';
    a.age = 6;
    const err = await a.save().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: blocker, expected: 'set', actual: 'string' });
    expect(await P.load('a')).toMatchObject({ team: 'red', age: 5 });
    await expect(P.create({ name: 'b', team: 'blue' })).rejects.toThrow(WrongTypeError);
    await expect(P.load('b')).rejects.toThrow(NotFoundError);
    await t.db.command(['DEL', blocker]);
    expect(await checkIndexes(t.db, layout('wrongtype'))).toEqual({ problems: [], records: 1 });
  });

  it('gives up with ConflictError after 5 retries when the stored state never matches, writing nothing', async () => {
    const P = define('conflict');
    // Invalid UTF-8 in an indexed text field reads back differently from what is stored, so every check fails.
    const key = t.key('{conflict}:id.a');
    await t.db.command(['HSET', key, 'name', 'a', 'team', Buffer.from([0xff, 0xfe])]);
    await t.db.command(['SADD', t.key('{conflict}:all'), '{conflict}:id.a']);
    const a = await P.load('a');
    a.age = 7;
    const err = await a.save().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ key });
    expect(await t.db.command(['HEXISTS', key, 'age'])).toBe(0);
    expect(await t.db.command(['EXISTS', t.key('{conflict}:age.continuous')])).toBe(0);
  });

  it('increments integer and float fields and moves their index entries', async () => {
    const Page = defineModel(t.db, 'page', { url: text({ primaryKey: true }), hits: integer({ index: true }), plain: integer(), rating: float({ index: true }) });
    const p = await Page.create({ url: '/a', hits: 0, rating: 1.5 });
    expect(await p.incr('hits')).toBe(1);
    expect(await p.incr('hits', 5)).toBe(6);
    expect(p.hits).toBe(6);
    expect(await p.incr('plain', 3)).toBe(3);
    expect(await p.incr('rating', 0.25)).toBe(1.75);
    expect(await Page.load('/a')).toMatchObject({ hits: 6, plain: 3, rating: 1.75 });
    expect(await t.db.command(['HGET', p.$key, 'rating'])).toBe('1.75');
    expect((await Page.get(Page.fields.hits.eq(6))).url).toBe('/a');
    expect(await Page.count(Page.fields.hits.eq(1))).toBe(0);
    expect(await Page.count(Page.fields.rating.gt(1.7))).toBe(1);
    expect(await checkIndexes(t.db, { base: '{page}:', absolute: ['url', 'hits', 'rating'], continuous: ['hits', 'rating'], fts: [] })).toEqual({ problems: [], records: 1 });
    await expect(p.incr('url' as never)).rejects.toThrow(InvalidArgumentError);
    await expect(p.incr('hits', 0.5)).rejects.toThrow(InvalidArgumentError);
    const gone = await Page.create({ url: '/gone', hits: 1 });
    await (await Page.load('/gone')).delete();
    await expect(gone.incr('hits')).rejects.toThrow(NotFoundError);
    await expect(gone.incr('plain')).rejects.toThrow(NotFoundError);
    expect(await t.db.command(['EXISTS', gone.$key])).toBe(0);
  });

  it('counts every one of 50 concurrent increments of an indexed field', async () => {
    const Page = defineModel(t.db, 'counter', { url: text({ primaryKey: true }), hits: integer({ index: true }), rating: float({ index: true }) });
    await Page.create({ url: '/', hits: 0, rating: 0 });
    const copies = await Promise.all(Array.from({ length: 50 }, () => Page.load('/')));
    await Promise.all(copies.flatMap((c) => [c.incr('hits'), c.incr('rating', 0.5)]));
    expect(await Page.load('/')).toMatchObject({ hits: 50, rating: 25 });
    expect(await checkIndexes(t.db, { base: '{counter}:', absolute: ['url', 'hits', 'rating'], continuous: ['hits', 'rating'], fts: [] })).toEqual({ problems: [], records: 1 });
  });

  it('deletes by query with every index entry and container', async () => {
    const P = define('qdel');
    for (let i = 0; i < 30; i++) {
      const p = await P.create({ name: `p${i}`, team: i % 2 ? 'odd' : 'even', age: i, bio: `number ${i} walrus` });
      await p.tags.add('x');
    }
    expect(await P.queryDelete(P.fields.team.eq('odd'))).toBe(15);
    expect(await P.count()).toBe(15);
    expect(await t.db.command(['EXISTS', t.key('{qdel}:container.tags.{qdel}:id.p1')])).toBe(0);
    expect(await t.db.command(['EXISTS', t.key('{qdel}:container.tags.{qdel}:id.p2')])).toBe(1);
    expect(await checkIndexes(t.db, layout('qdel'))).toEqual({ problems: [], records: 15 });
    expect(await P.queryDelete(and2(P))).toBe(5);
    expect(await P.queryDelete()).toBe(10);
    const left: string[] = [];
    for await (const k of t.db.scanKeys('{qdel}*')) left.push(k);
    expect(left).toEqual([]);
  });

  function and2(P: ReturnType<typeof define>) {
    return P.fields.age.lt(10);
  }
});
