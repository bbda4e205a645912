import { Script } from '@walrus/core';
import { and, bytes, date, defineModel, integer, text } from '@walrus/models';
import { describeTopologies } from '@walrus/testing';
import { APPLY_LUA } from '../src/lua/apply';
import { INCR_LUA } from '../src/lua/incr';
import { INCR_INDEXED_LUA } from '../src/lua/incr-indexed';
import { SCORE_FILTER_LUA } from '../src/lua/score-filter';

describeTopologies('models: key layout and query paths', (t) => {
  const scan = async (pattern: string) => {
    const keys: string[] = [];
    for await (const k of t.db.scanKeys(pattern)) keys.push(k);
    return keys.sort();
  };

  it('puts a namespace before the model name and joins index parts with indexSeparator', async () => {
    const User = defineModel(t.db, 'user', { name: text({ primaryKey: true }), dob: date({ index: true }) }, { namespace: 'app', indexSeparator: ':' });
    await User.create({ name: 'Huey', dob: new Date('2011-06-01') });
    expect(await scan('{app|user}*')).toEqual(['{app|user}:all', '{app|user}:dob:absolute:1306886400.0', '{app|user}:dob:continuous', '{app|user}:id:Huey', '{app|user}:name:absolute:Huey']);
    expect((await User.query({ where: User.fields.dob.ge(new Date('2000-01-01')) })).map((u) => u.name)).toEqual(['Huey']);
  });

  it('reads and sorts records of binary models, and of handles whose prefix holds a *', async () => {
    const star = await t.connect({ prefix: `${t.prefix}st*r:` });
    for (const db of [t.db, star]) {
      const Blob = defineModel(db, 'blob', { name: text({ primaryKey: true }), n: integer({ index: true }), data: bytes() });
      for (let i = 0; i < 5; i++) await Blob.create({ name: `b${i}`, n: 10 - i, data: Buffer.from([i, 255]) });
      const page = await Blob.query({ where: Blob.fields.n.le(9), orderBy: Blob.fields.n.asc(), limit: 2 });
      expect(page.map((b) => [b.name, b.n, b.data])).toEqual([
        ['b4', 6, Buffer.from([4, 255])],
        ['b3', 7, Buffer.from([3, 255])],
      ]);
      expect((await Blob.get(Blob.fields.n.eq(10))).data).toEqual(Buffer.from([0, 255]));
      const Plain = defineModel(db, 'plain', { name: text({ primaryKey: true }), n: integer({ index: true }) });
      for (let i = 0; i < 3; i++) await Plain.create({ name: `p${i}`, n: i });
      expect((await Plain.query({ orderBy: Plain.fields.n.desc(), offset: 1 })).map((p) => p.name)).toEqual(['p1', 'p0']);
    }
  });

  it('reads a lone range from its index in the same order and pages as the general plan', async () => {
    const Score = defineModel(t.db, 'score', { name: text({ primaryKey: true }), points: integer({ index: true }), team: text({ index: true }) });
    for (let i = 0; i < 30; i++) await Score.create({ name: `s${String(i).padStart(2, '0')}`, points: i % 7, team: 'a' });
    const p = Score.fields.points;
    const cases = [
      { where: p.between(2, 5) },
      { where: p.between(2, 5), orderBy: p.asc(), limit: 5 },
      { where: p.gt(1), orderBy: p.desc(), offset: 3, limit: 4 },
      { where: p.lt(4), orderBy: p.desc(), offset: 10 },
      { where: p.ge(6), orderBy: p.asc(), limit: 0 },
    ];
    for (const c of cases) {
      // and() with a condition every record meets forces the general plan (temporary set, then SORT BY field).
      const general = await Score.query({ ...c, where: and(c.where, Score.fields.team.eq('a')) });
      const fast = await Score.query(c);
      const names = (rows: { name: string }[]) => rows.map((r) => r.name);
      if (c.orderBy) expect(names(fast)).toEqual(names(general));
      else expect(names(fast).sort()).toEqual(names(general).sort());
      expect(await Score.count(c.where)).toBe(await Score.count(and(c.where, Score.fields.team.eq('a'))));
    }
    expect((await Score.query({ where: p.le(0), orderBy: p.asc() })).map((r) => r.name)).toEqual(['s00', 's07', 's14', 's21', 's28']);
  });

  it('iterates all records in pages without repeats', async () => {
    const Row = defineModel(t.db, 'row', { n: integer() });
    for (let i = 0; i < 25; i++) await Row.create({ n: i });
    const seen: number[] = [];
    for await (const r of Row.all({ count: 4 })) seen.push(r.n!);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('ships scripts whose SHA is what SCRIPT LOAD computes, and recovers after SCRIPT FLUSH', async () => {
    const key = t.key('{x}:any');
    for (const [name, lua] of Object.entries({ APPLY_LUA, INCR_LUA, INCR_INDEXED_LUA, SCORE_FILTER_LUA })) {
      expect([name, await t.rawCommand(['SCRIPT', 'LOAD', lua], key)]).toEqual([name, new Script(name, lua).sha]);
    }
    const Item = defineModel(t.db, 'flushed', { name: text({ primaryKey: true }), n: integer({ index: true }) });
    await Item.create({ name: 'a', n: 1 });
    type Node = { sendCommand(args: string[]): Promise<unknown> };
    const raw = t.raw as unknown as Node & { masters?: unknown[]; nodeClient(m: unknown): Promise<Node> };
    const nodes = raw.masters ? await Promise.all(raw.masters.map((m) => raw.nodeClient(m))) : [raw];
    for (const n of nodes) await n.sendCommand(['SCRIPT', 'FLUSH']);
    const a = await Item.load('a');
    a.n = 2;
    await a.save();
    expect(await a.incr('n')).toBe(3);
    expect((await Item.query({ where: Item.fields.n.gt(2) })).map((i) => i.name)).toEqual(['a']);
  });
});
