import { ConflictError, CrossSlotError, InvalidArgumentError, NotFoundError, ParseError, WrongTypeError, keySlot } from '@walrus/core';
import { Index, Tokenizer } from '@walrus/fts';
import { describeTopologies } from '@walrus/testing';

let n = 0;
/** A fresh index name per test, so tests never see each other's documents. */
const fresh = () => `idx${++n}`;

describeTopologies('fts Index', (t) => {
  const keysOf = async (pattern: string): Promise<string[]> => {
    const out: string[] = [];
    for await (const k of t.db.scanKeys(pattern)) out.push(k);
    return out.sort();
  };

  it('adds documents with metadata and finds them, best first', async () => {
    const idx = new Index(t.db, fresh());
    await idx.add('k1', 'A walrus is a marine mammal with tusks and whiskers', { url: '/walrus' });
    await idx.add('k2', 'Walrus, walrus, walrus: the walrus song');
    await idx.add('k3', 'Python utilities for Redis');
    expect(await idx.search('walrus')).toEqual([
      { content: 'Walrus, walrus, walrus: the walrus song' },
      { content: 'A walrus is a marine mammal with tusks and whiskers', url: '/walrus' },
    ]);
    expect(await idx.searchItems('redis')).toEqual([['k3', { content: 'Python utilities for Redis' }]]);
    expect(await idx.getDocument('k1')).toEqual({ content: 'A walrus is a marine mammal with tusks and whiskers', url: '/walrus' });
    expect(await idx.getDocument('missing')).toBeUndefined();
  });

  it("stores walrus' key layout and scores: -(count / (words + 1)) per token", async () => {
    const name = fresh();
    const idx = new Index(t.db, name);
    await idx.add(7, 'faithful believers believe the faith');
    const tag = `{${name}}`;
    expect(await keysOf(`*${tag}*`)).toEqual([`doc.${tag}.7`, `fts.${tag}`, `fts.${tag}.believ`, `fts.${tag}.faith`].sort());
    // 'believe' and 'the' are stopwords: three words kept, each worth 1/4.
    expect(await t.db.command(['ZSCORE', t.key(`fts.${tag}.faith`), '7'])).toBe('-0.5');
    expect(await t.db.command(['ZSCORE', t.key(`fts.${tag}.believ`), '7'])).toBe('-0.25');
    expect(await t.db.command(['SMEMBERS', t.key(`fts.${tag}`)])).toEqual(['7']);
  });

  it('ranks by summed token scores; ties go by key bytes', async () => {
    const idx = new Index(t.db, fresh(), { stemmer: false });
    await idx.add('b', 'redis python');
    await idx.add('a', 'python redis');
    await idx.add('c', 'redis redis python');
    await idx.add('d', 'redis walrus walrus walrus');
    expect((await idx.searchItems('redis')).map(([k]) => k)).toEqual(['c', 'a', 'b', 'd']);
    expect((await idx.searchItems('redis python')).map(([k]) => k)).toEqual(['c', 'a', 'b']);
    expect((await idx.searchItems('redis OR walrus')).map(([k]) => k)).toEqual(['d', 'c', 'a', 'b']);
  });

  it('stems documents and queries with Porter', async () => {
    const idx = new Index(t.db, fresh());
    await idx.add('1', 'He believes in faithful friends');
    expect(await idx.search('believed')).toHaveLength(1);
    expect(await idx.search('believers')).toHaveLength(1);
    expect(await idx.search('faith')).toHaveLength(1);
    expect(await idx.search('friend')).toHaveLength(1);
    const plain = new Index(t.db, fresh(), { stemmer: false });
    await plain.add('1', 'He believes in faithful friends');
    expect(await plain.search('believed')).toEqual([]);
    expect(await plain.search('believes')).toHaveLength(1);
  });

  it('matches misspellings with double metaphone', async () => {
    const idx = new Index(t.db, fresh(), { metaphone: true });
    await idx.add('p', 'Python programmers love walrus');
    await idx.add('r', 'Ruby gems');
    expect((await idx.searchItems('pithonn')).map(([k]) => k)).toEqual(['p']);
    expect((await idx.searchItems('wallrus AND programers')).map(([k]) => k)).toEqual(['p']);
    expect(await idx.search('rubie OR pythn')).toHaveLength(2);
  });

  it('leaves stopwords and short words out; a query of stopwords finds nothing, an empty one finds all', async () => {
    const idx = new Index(t.db, fresh(), { minWordLength: 4 });
    await idx.add('x', 'the cat sat on the warm mat');
    await idx.add('y', 'warm tea');
    expect(await idx.search('cat')).toEqual([]);
    expect(await idx.search('the')).toEqual([]);
    expect(await idx.search('the AND warm')).toHaveLength(2);
    expect(await idx.search('(the OR and) AND warm')).toHaveLength(2);
    expect((await idx.searchItems('')).map(([k]) => k)).toEqual(['x', 'y']);
    expect((await idx.searchItems('   ', { offset: 1 })).map(([k]) => k)).toEqual(['y']);
    const custom = new Index(t.db, fresh(), { stopwords: ['warm'] });
    await custom.add('x', 'the warm cat');
    expect(await custom.search('warm')).toEqual([]);
    expect(await custom.search('the cat')).toHaveLength(1);
  });

  it('evaluates AND, OR, &, |, parentheses, quotes and implicit AND', async () => {
    const idx = new Index(t.db, fresh());
    await idx.add('py-redis', 'python client for redis');
    await idx.add('py-valkey', 'python client for valkey');
    await idx.add('js-redis', 'javascript client for redis');
    await idx.add('walrus', 'walrus: python utilities for redis and valkey');
    const keys = async (q: string, o?: { defaultConjunction?: 'and' | 'or' }) => (await idx.searchItems(q, o)).map(([k]) => k).sort();
    expect(await keys('python redis')).toEqual(['py-redis', 'walrus']);
    expect(await keys('python AND redis')).toEqual(['py-redis', 'walrus']);
    expect(await keys('python & redis')).toEqual(['py-redis', 'walrus']);
    expect(await keys('javascript OR valkey')).toEqual(['js-redis', 'py-valkey', 'walrus']);
    expect(await keys('javascript | valkey')).toEqual(['js-redis', 'py-valkey', 'walrus']);
    expect(await keys('python AND (redis OR valkey)')).toEqual(['py-redis', 'py-valkey', 'walrus']);
    expect(await keys('(python AND valkey) OR javascript')).toEqual(['js-redis', 'py-valkey', 'walrus']);
    expect(await keys('"python utilities"')).toEqual(['walrus']);
    expect(await keys('"redis python"')).toEqual(['py-redis', 'walrus']); // quotes do not mean adjacency
    expect(await keys('javascript valkey', { defaultConjunction: 'or' })).toEqual(['js-redis', 'py-valkey', 'walrus']);
    expect(await keys('python AND rust')).toEqual([]);
    expect(await keys('nothing')).toEqual([]);
  });

  it('pages results with limit and offset', async () => {
    const idx = new Index(t.db, fresh(), { stemmer: false });
    for (let i = 0; i < 8; i++) await idx.add(`d${i}`, `walrus ${'x '.repeat(i)}`.trim());
    const all = (await idx.searchItems('walrus')).map(([k]) => k);
    expect(all).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']);
    expect((await idx.searchItems('walrus', { limit: 3 })).map(([k]) => k)).toEqual(all.slice(0, 3));
    expect((await idx.searchItems('walrus', { limit: 3, offset: 6 })).map(([k]) => k)).toEqual(all.slice(6));
    expect((await idx.searchItems('walrus OR x', { limit: 2, offset: 1 })).map(([k]) => k)).toHaveLength(2);
  });

  it('updates: re-indexes the content and merges metadata; add on an existing key does the same', async () => {
    const name = fresh();
    const idx = new Index(t.db, name);
    await idx.add('doc', 'walrus tusks', { a: '1', b: '2' });
    await idx.update('doc', 'carpenter oysters', { b: '3', c: '4' });
    expect(await idx.getDocument('doc')).toEqual({ content: 'carpenter oysters', a: '1', b: '3', c: '4' });
    expect(await idx.search('walrus')).toEqual([]);
    expect(await idx.search('oyster')).toHaveLength(1);
    // No stale token sets stay behind (Python's add left them).
    expect(await t.db.command(['EXISTS', t.key(`fts.{${name}}.walru`)])).toBe(0);
    await idx.add('doc', 'walrus again');
    expect(await idx.search('carpenter')).toEqual([]);
    expect(await idx.getDocument('doc')).toEqual({ content: 'walrus again', a: '1', b: '3', c: '4' });
    // Updating an unknown key indexes it.
    await idx.update('new', 'fresh walrus');
    expect(await idx.search('walrus')).toHaveLength(2);
  });

  it('replaces: re-indexes and drops the stored metadata', async () => {
    const idx = new Index(t.db, fresh());
    await idx.add('doc', 'walrus tusks', { a: '1' });
    await idx.replace('doc', 'walrus whiskers', { z: '9' });
    expect(await idx.getDocument('doc')).toEqual({ content: 'walrus whiskers', z: '9' });
    expect(await idx.search('tusks')).toEqual([]);
    expect(await idx.search('whiskers')).toHaveLength(1);
  });

  it('removes a document with its hash and emptied token sets, or keeps the hash with preserveData', async () => {
    const name = fresh();
    const idx = new Index(t.db, name);
    await idx.add('a', 'walrus tusks');
    await idx.add('b', 'walrus whiskers', { m: 'x' });
    await idx.remove('a');
    expect(await idx.getDocument('a')).toBeUndefined();
    expect(await idx.search('walrus')).toEqual([{ content: 'walrus whiskers', m: 'x' }]);
    expect(await t.db.command(['EXISTS', t.key(`fts.{${name}}.tusk`)])).toBe(0);
    await idx.remove('b', { preserveData: true });
    expect(await idx.search('walrus')).toEqual([]);
    expect(await idx.search('')).toEqual([]);
    expect(await idx.getDocument('b')).toEqual({ content: 'walrus whiskers', m: 'x' });
    expect(await keysOf(`*{${name}}*`)).toEqual([`doc.{${name}}.b`]);
    await expect(idx.remove('b')).rejects.toBeInstanceOf(NotFoundError);
    await expect(idx.remove('never')).rejects.toMatchObject({ name: 'NotFoundError', key: t.key(`doc.{${name}}.never`) });
    // Adding a preserved document back merges into its kept hash.
    await idx.add('b', 'walrus returns', { n: 'y' });
    expect(await idx.getDocument('b')).toEqual({ content: 'walrus returns', m: 'x', n: 'y' });
  });

  it('keeps Unicode content, keys and metadata intact', async () => {
    const idx = new Index(t.db, fresh(), { stemmer: false });
    await idx.add('clé', 'Le morse mange des huîtres à Zürich 東京', { émoji: '🦭' });
    expect(await idx.searchItems('huîtres zürich')).toEqual([['clé', { content: 'Le morse mange des huîtres à Zürich 東京', émoji: '🦭' }]]);
    expect(await idx.search('東京')).toHaveLength(1);
  });

  it('rejects bad input with named errors before writing anything', async () => {
    const name = fresh();
    const idx = new Index(t.db, name);
    await expect(idx.add('', 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(idx.add(Number.NaN, 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(idx.add('k', 42 as unknown as string)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(idx.add('k', 'x', { content: 'y' })).rejects.toMatchObject({ name: 'InvalidArgumentError', field: 'content' });
    await expect(idx.add('k', 'x', { n: 1 as unknown as string })).rejects.toMatchObject({ name: 'InvalidArgumentError', field: 'n' });
    await expect(idx.search('walrus', { limit: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(idx.search('walrus', { offset: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(idx.search('walrus AND')).rejects.toBeInstanceOf(ParseError);
    await expect(idx.remove('k', { preserveData: 'yes' as unknown as boolean })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => new Index(t.db, '')).toThrow(InvalidArgumentError);
    expect(() => new Index(t.db, 'x', { minWordLength: -2 })).toThrow(InvalidArgumentError);
    expect(await keysOf(`*{${name}}*`)).toEqual([]);
  });

  it('writes a document wholly or not at all: a wrong-typed token key fails the write before anything changes', async () => {
    const name = fresh();
    const idx = new Index(t.db, name, { stemmer: false });
    await idx.add('old', 'walrus tusks');
    await t.db.command(['SET', t.key(`fts.{${name}}.whiskers`), 'not a zset']);
    const err = await idx.add('new', 'walrus with long whiskers').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: t.key(`fts.{${name}}.whiskers`), expected: 'zset', actual: 'string' });
    expect(await idx.getDocument('new')).toBeUndefined();
    expect(await t.db.command(['SMEMBERS', t.key(`fts.{${name}}`)])).toEqual(['old']);
    expect(await t.db.command(['ZRANGE', t.key(`fts.{${name}}.walrus`), '0', '-1'])).toEqual(['old']);
    expect(await t.db.command(['EXISTS', t.key(`fts.{${name}}.long`)])).toBe(0);
    // An update that fails keeps the old content and its tokens.
    await expect(idx.update('old', 'whiskers only')).rejects.toBeInstanceOf(WrongTypeError);
    expect(await idx.search('tusks')).toHaveLength(1);
    expect(await idx.getDocument('old')).toEqual({ content: 'walrus tusks' });
    await expect(idx.search('whiskers AND walrus')).rejects.toBeInstanceOf(WrongTypeError);
    // A removal that fails leaves the document indexed.
    await t.db.command(['SET', t.key(`fts.{${name}}.tusks`), 'not a zset either']);
    await expect(idx.remove('old')).rejects.toMatchObject({ name: 'WrongTypeError', key: t.key(`fts.{${name}}.tusks`) });
    expect((await idx.searchItems('walrus')).map(([k]) => k)).toEqual(['old']);
    expect(await idx.getDocument('old')).toEqual({ content: 'walrus tusks' });
  });

  it('stays consistent under 30 concurrent writers of one document (optimistic retries)', async () => {
    const name = fresh();
    const idx = new Index(t.db, name, { stemmer: false, stopwords: false });
    const writers = await Promise.all([t.connect(), t.connect(), t.connect()]);
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`);
    const results = await Promise.allSettled(
      words.map((w, i) => new Index(writers[i % 3], name, { stemmer: false, stopwords: false })[i % 2 ? 'update' : 'replace']('doc', `common ${w}`, { by: w })),
    );
    // Each write either landed or gave up with a ConflictError; none left partial state.
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    const doc = (await idx.getDocument('doc'))!;
    const last = doc.content.split(' ')[1];
    expect(doc.by).toBe(last);
    const indexed = (await keysOf(`fts.{${name}}.*`)).map((k) => k.slice(`fts.{${name}}.`.length)).sort();
    expect(indexed).toEqual(['common', last].sort());
    expect((await idx.searchItems(last)).map(([k]) => k)).toEqual(['doc']);
  });

  it('gives up with a ConflictError after 5 attempts when the document keeps changing', async () => {
    const name = fresh();
    const idx = new Index(t.db, name, { stemmer: false });
    await idx.add('doc', 'first text');
    const original = idx.tokenizer.tokenize.bind(idx.tokenizer);
    let calls = 0;
    // Each time the writer tokenizes the stored text, another write changes it (queued ahead on the same connection).
    idx.tokenizer.tokenize = (text: string) => {
      if (text !== 'second text') void t.db.command(['HSET', t.key(`doc.{${name}}.doc`), 'content', `changed ${++calls}`]);
      return original(text);
    };
    const err = await idx.update('doc', 'second text').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ key: t.key(`doc.{${name}}.doc`) });
    // Five attempts: the first guessed a new document, the next four each tokenized a stored text that then changed.
    expect(calls).toBe(4);
    expect(await t.db.command(['EXISTS', t.key(`fts.{${name}}.second`)])).toBe(0);
  });

  it("reads an index laid out by walrus (Python) with hashTag: false", async () => {
    const name = fresh();
    // What walrus' Index.add writes for two documents (stemmer on, default stopwords).
    const py = new Tokenizer();
    const docs: [string, string][] = [['1', 'Walrus: lightweight Python utilities'], ['2', 'Redis utilities for everyone']];
    for (const [key, content] of docs) {
      await t.db.command(['SADD', t.key(`fts.${name}`), key]);
      await t.db.command(['HSET', t.key(`doc.${name}.${key}`), 'content', content, 'author', 'charles']);
      for (const [token, score] of py.tokenize(content)) await t.db.command(['ZADD', t.key(`fts.${name}.${token}`), String(-score), key]);
    }
    const idx = new Index(t.db, name, { hashTag: false });
    // 'for' and 'everyone' are stopwords, so 'utilities' weighs 1/3 in document 2 and 1/5 in document 1.
    expect((await idx.searchItems('utilities')).map(([k]) => k)).toEqual(['2', '1']);
    expect(await idx.search('python')).toEqual([{ content: 'Walrus: lightweight Python utilities', author: 'charles' }]);
    if (t.isCluster) {
      // Python's names put each key in its own slot: multi-key work is refused before anything is sent.
      await expect(idx.search('python OR redis')).rejects.toBeInstanceOf(CrossSlotError);
      await expect(idx.add('3', 'more python')).rejects.toBeInstanceOf(CrossSlotError);
      expect(await idx.getDocument('3')).toBeUndefined();
    } else {
      expect((await idx.searchItems('python OR redis')).map(([k]) => k)).toEqual(['2', '1']);
      await idx.update('2', 'Redis helpers for everyone');
      expect(await t.db.command(['ZRANGE', t.key(`fts.${name}.util`), '0', '-1'])).toEqual(['1']);
      expect(Number(await t.db.command(['ZSCORE', t.key(`fts.${name}.helper`), '2']))).toBe(-py.tokenize('Redis helpers for everyone').get('helper')!);
    }
  });

  it('keeps every key of a tagged index in one cluster slot', async () => {
    const name = fresh();
    const idx = new Index(t.db, name);
    await idx.add('a', 'walrus tusks whiskers');
    const keys = await keysOf(`*{${name}}*`);
    expect(keys.length).toBe(5);
    expect(new Set(keys.map((k) => keySlot(t.key(k)))).size).toBe(1);
  });
});
