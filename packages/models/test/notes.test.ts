import { InvalidArgumentError, jsonCodec } from '@walrus/core';
import { Hash, List, RedisSet, ZSet } from '@walrus/containers';
import { dateTime, defineModel, hashField, integer, listField, setField, text, zsetField } from '@walrus/models';
import { describeTopologies } from '@walrus/testing';

// The Note walk-through of the walrus documentation ("Container Fields").
describeTopologies('models: container fields (the Note example)', (t) => {
  const noteModel = () =>
    defineModel(t.db, 'note', {
      content: text(),
      timestamp: dateTime({ default: () => new Date(), index: true }),
      tags: setField(),
    });

  it('binds a set to each saved note under container.<field>.<hash id>', async () => {
    const Note = noteModel();
    const note = await Note.create({ content: 'my first note' });
    expect(note._id).toBe(1);
    expect(note.timestamp).toBeInstanceOf(Date);
    expect(note.tags).toBeInstanceOf(RedisSet);
    expect(note.tags.key).toBe(t.key('{note}:container.tags.{note}:id.1'));
    expect(await note.tags.size()).toBe(0);
    await note.tags.add('testing', 'walrus');
    const again = await Note.load(note._id);
    expect((await again.tags.values()).sort()).toEqual(['testing', 'walrus']);
    expect(await t.db.command(['GET', t.key('{note}:_id._sequence')])).toBe('1');
    expect((await Note.create({ content: 'second' }))._id).toBe(2);
  });

  it('needs a primary key before a container can be used, and takes no values through build/create', async () => {
    const Note = noteModel();
    const draft = Note.build({ content: 'draft' });
    expect(() => draft.tags).toThrow(InvalidArgumentError);
    expect(() => Note.build({ content: 'x', tags: ['a'] } as never)).toThrow(InvalidArgumentError);
    await draft.save();
    await draft.tags.add('saved');
    expect(await draft.tags.has('saved')).toBe(true);
  });

  it('supports hash, list, set and zset fields with codecs, and delete drops their keys', async () => {
    const Doc = defineModel(t.db, 'doc', {
      slug: text({ primaryKey: true }),
      meta: hashField(),
      log: listField({ codec: jsonCodec<{ at: number }>() }),
      tags: setField(),
      scores: zsetField(),
      views: integer({ default: 0 }),
    });
    const doc = await Doc.create({ slug: 'intro' });
    expect(doc.meta).toBeInstanceOf(Hash);
    expect(doc.log).toBeInstanceOf(List);
    expect(doc.scores).toBeInstanceOf(ZSet);
    await doc.meta.set('author', 'huey');
    await doc.log.push({ at: 1 }, { at: 2 });
    await doc.tags.add('a');
    await doc.scores.add({ x: 1.5 });
    const loaded = await Doc.load('intro');
    expect(await loaded.meta.get('author')).toBe('huey');
    expect(await loaded.log.toArray()).toEqual([{ at: 1 }, { at: 2 }]);
    expect(await loaded.scores.score('x')).toBe(1.5);
    const keys = [doc.meta.key, doc.log.key, doc.tags.key, doc.scores.key];
    expect(keys).toEqual(['meta', 'log', 'tags', 'scores'].map((f) => t.key(`{doc}:container.${f}.{doc}:id.intro`)));
    await loaded.delete();
    for (const k of keys) expect(await t.db.command(['EXISTS', k])).toBe(0);
    expect(await t.db.command(['EXISTS', t.key('{doc}:id.intro')])).toBe(0);
  });

  it('sorts notes newest first by their timestamp', async () => {
    const Note = defineModel(t.db, 'timeline', { content: text(), timestamp: dateTime({ index: true }) });
    const base = Date.UTC(2020, 0, 2, 3, 4, 5, 600);
    for (let i = 0; i < 5; i++) await Note.create({ content: `n${i}`, timestamp: new Date(base + i * 1000) });
    const notes = await Note.query({ orderBy: Note.fields.timestamp.desc() });
    expect(notes.map((n) => n.content)).toEqual(['n4', 'n3', 'n2', 'n1', 'n0']);
    expect(notes[4].timestamp?.getTime()).toBe(base);
    expect(await t.db.command(['HGET', t.key('{timeline}:id.1'), 'timestamp'])).toBe('1577934245.6');
  });
});
