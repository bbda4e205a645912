import { ParseError } from '@walrus/core';
import { Tokenizer } from '@walrus/fts';
import { and, defineModel, integer, or, text } from '@walrus/models';
import { describeTopologies } from '@walrus/testing';
import { checkIndexes } from './consistency';

describeTopologies('models: full-text search', (t) => {
  const messages = [
    ['m1', 'huey', 'Walrus is a Python library for Redis'],
    ['m2', 'mickey', 'Redis is a key value store'],
    ['m3', 'huey', 'Python programmers love walrus tusks'],
    ['m4', 'zaizee', 'Valkey is a fork of Redis'],
  ] as const;
  const define = () => defineModel(t.db, 'message', { id: text({ primaryKey: true }), author: text({ index: true }), content: text({ fts: true }), likes: integer({ index: true }) });
  let Message: ReturnType<typeof define>;
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

  beforeAll(async () => {
    Message = define();
    let likes = 0;
    for (const [id, author, content] of messages) await Message.create({ id, author, content, likes: likes++ });
  });

  it('indexes each token in <field>.fts.<token> with the negated tokenizer score', async () => {
    const scores = new Tokenizer().tokenize(messages[0][2]);
    expect([...scores.keys()].sort()).toEqual(['librari', 'python', 'redi', 'walru']);
    const stored = await t.db.command(['ZSCORE', t.key('{message}:content.fts.python'), '{message}:id.m1']);
    expect(Number(stored)).toBeCloseTo(-scores.get('python')!, 12);
    expect(await checkIndexes(t.db, { base: '{message}:', absolute: ['id', 'author', 'likes'], continuous: ['likes'], fts: ['content'] })).toEqual({ problems: [], records: 4 });
  });

  it('searches with the query language (the documentation example)', async () => {
    const found = await Message.query({ where: Message.fields.content.search('python AND (redis OR walrus)') });
    expect(ids(found).sort()).toEqual(['m1', 'm3']);
    expect(ids(await Message.query({ where: Message.fields.content.search('python valkey', { defaultConjunction: 'or' }) })).sort()).toEqual(['m1', 'm3', 'm4']);
    expect(ids(await Message.query({ where: Message.fields.content.search('python | valkey') })).sort()).toEqual(['m1', 'm3', 'm4']);
    expect(ids(await Message.query({ where: Message.fields.content.search('"key value" store') }))).toEqual(['m2']);
  });

  it('returns matches best first (highest score), ties by record key', async () => {
    const tk = new Tokenizer();
    const expected = messages
      .filter(([, , c]) => tk.tokenize(c).has('redi'))
      .map(([id, , c]) => ({ id, score: tk.tokenize(c).get('redi')! }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .map((x) => x.id);
    expect(expected.length).toBe(3);
    expect(ids(await Message.query({ where: Message.fields.content.match('redis') }))).toEqual(expected);
    expect(ids(await Message.query({ where: Message.fields.content.match('Redis!'), limit: 1 }))).toEqual([expected[0]]);
    expect(ids(await Message.query({ where: Message.fields.content.match('redis'), offset: 1 }))).toEqual(expected.slice(1));
  });

  it('combines full-text conditions with other indexes, and sorts by a field', async () => {
    const where = and(Message.fields.content.match('python'), Message.fields.author.eq('huey'));
    expect(ids(await Message.query({ where, orderBy: Message.fields.id.desc() }))).toEqual(['m3', 'm1']);
    const either = or(Message.fields.content.match('valkey'), Message.fields.likes.ge(2));
    expect(ids(await Message.query({ where: either, orderBy: Message.fields.likes.asc() }))).toEqual(['m3', 'm4']);
    expect(await Message.count(and(Message.fields.content.match('redis'), Message.fields.author.ne('mickey')))).toBe(2);
  });

  it('handles stopwords, empty queries and bad syntax', async () => {
    expect(await Message.query({ where: Message.fields.content.match('is a the') })).toEqual([]);
    expect(await Message.query({ where: Message.fields.content.search('the AND of') })).toEqual([]);
    expect(ids(await Message.query({ where: Message.fields.content.search('the OR python') })).sort()).toEqual(['m1', 'm3']);
    expect(await Message.count(Message.fields.content.search(''))).toBe(4);
    expect(() => Message.fields.content.search('python AND')).toThrow(ParseError);
    expect(() => Message.fields.content.search('(python')).toThrow(ParseError);
  });

  it('moves tokens when the text changes and drops them on delete', async () => {
    const M = defineModel(t.db, 'memo', { content: text({ fts: true, stemmer: false, minWordLength: 3 }) });
    const memo = await M.create({ content: 'alpha beta gamma' });
    expect(await M.count(M.fields.content.match('beta'))).toBe(1);
    memo.content = 'gamma delta ab';
    await memo.save();
    expect(await M.count(M.fields.content.match('beta'))).toBe(0);
    expect(await M.count(M.fields.content.match('delta gamma'))).toBe(1);
    expect(await t.db.command(['EXISTS', t.key('{memo}:content.fts.beta'), t.key('{memo}:content.fts.ab')])).toBe(0);
    memo.content = null;
    await memo.save();
    expect(await M.count(M.fields.content.match('gamma'))).toBe(0);
    memo.content = 'epsilon';
    await memo.save();
    await memo.delete();
    const left: string[] = [];
    for await (const k of t.db.scanKeys('{memo}*')) left.push(k);
    expect(left).toEqual(['{memo}:_id._sequence']);
  });
});
