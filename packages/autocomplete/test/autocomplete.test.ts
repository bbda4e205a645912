import { ConflictError, CrossSlotError, DecodeError, InvalidArgumentError, NotFoundError, WrongTypeError, keySlot } from '@walrus/core';
import { Autocomplete } from '@walrus/autocomplete';
import { describeTopologies } from '@walrus/testing';

let n = 0;
/** A fresh namespace per test. */
const fresh = () => `ac${++n}`;

type Entry = { image: string; title: string; url: string };

describeTopologies('Autocomplete', (t) => {
  const keysOf = async (pattern: string): Promise<string[]> => {
    const out: string[] = [];
    for await (const k of t.db.scanKeys(pattern)) out.push(k);
    return out.sort();
  };

  describe('the simple example of the walrus docs', () => {
    it('stores phrases, searches by word prefixes, boosts, removes and checks existence', async () => {
      const ac = new Autocomplete<string>(t.db, { namespace: fresh() });
      for (const phrase of ['the walrus and the carpenter', 'walrus tusks', 'the eye of the walrus']) await ac.store(phrase);
      expect(await ac.search('wal')).toEqual(['the walrus and the carpenter', 'walrus tusks', 'the eye of the walrus']);
      expect(await ac.search('wal car')).toEqual(['the walrus and the carpenter']);
      expect(await ac.search('wal', { boosts: { 'walrus tusks': 2 } })).toEqual(['walrus tusks', 'the walrus and the carpenter', 'the eye of the walrus']);
      await ac.remove('walrus tusks');
      expect(await ac.exists('the walrus and the carpenter')).toBe(true);
      expect(await ac.exists('walrus tusks')).toBe(false);
      expect(await ac.search('wal')).toEqual(['the walrus and the carpenter', 'the eye of the walrus']);
    });
  });

  describe('the complete example of the walrus docs', () => {
    const entries = [
      { id: 1, title: 'Walrus: Lightweight Python utilities for working with Redis', image: '/images/walrus-logo.jpg', url: '/blog/walrus-lightweight-python-utilities-for-working-with-redis/' },
      { id: 2, title: 'Building Autocomplete with Walrus', image: '/images/walrus-tusk.jpg', url: '/blog/building-autocomplete-with-redis/' },
    ];
    const save = (ac: Autocomplete<Entry>, e: (typeof entries)[number]) =>
      ac.store({ id: e.id, title: e.title, data: { image: e.image, title: e.title, url: e.url }, type: 'entry' });

    it('returns the stored metadata, updates, boosts, removes by id and type', async () => {
      const ac = new Autocomplete<Entry>(t.db, { namespace: fresh() });
      for (const e of entries) await save(ac, e);
      expect(await ac.search('walrus')).toEqual([
        { image: '/images/walrus-logo.jpg', title: entries[0].title, url: entries[0].url },
        { image: '/images/walrus-tusk.jpg', title: entries[1].title, url: entries[1].url },
      ]);
      expect(await ac.exists(2, 'entry')).toBe(true);
      expect(await ac.exists(2)).toBe(false);
      // Saving an entry again (new title) re-indexes it.
      await save(ac, { ...entries[1], title: 'Building typeahead with Redis' });
      expect((await ac.search('walrus')).map((e) => e.url)).toEqual([entries[0].url]);
      expect((await ac.search('typeahead')).map((e) => e.title)).toEqual(['Building typeahead with Redis']);
      // Boosts by id and type: the popular entry moves to the top.
      await save(ac, { id: 3, title: 'Popular tusks entry', image: '/images/p.jpg', url: '/blog/popular/' });
      await save(ac, { id: 4, title: 'Popular oysters entry', image: '', url: '/4' });
      expect((await ac.search('popular')).map((e) => e.url)).toEqual(['/4', '/blog/popular/']);
      expect(await ac.boostObject({ id: 3, type: 'entry', multiplier: 2.0 })).toBe(2);
      expect((await ac.search('popular')).map((e) => e.url)).toEqual(['/blog/popular/', '/4']);
      // One-off boosts by id: {popular_entry.id: 2.0, unpopular_entry.id: 0.5} in the docs.
      expect((await ac.search('popular', { boosts: { 3: 0.25 } })).map((e) => e.url)).toEqual(['/4', '/blog/popular/']);
      expect((await ac.search('popular', { boosts: { 3: 2.0, 4: 0.5 } })).map((e) => e.url)).toEqual(['/blog/popular/', '/4']);
      await ac.remove(2, 'entry');
      expect(await ac.exists(2, 'entry')).toBe(false);
      expect(await ac.search('typeahead')).toEqual([]);
      await expect(ac.remove(2, 'entry')).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('scoring (walrus docs)', () => {
    const phrases = ['aa bb', 'aa cc', 'bb cc', 'bb aa cc', 'cc aa bb'];
    const setup = async () => {
      const ac = new Autocomplete<string>(t.db, { namespace: fresh() });
      for (const p of phrases) await ac.store(p);
      return ac;
    };

    it('ranks matches nearer the front of the phrase first, then alphabetically', async () => {
      const ac = await setup();
      expect(await ac.search('aa')).toEqual(['aa bb', 'aa cc', 'bb aa cc', 'cc aa bb']);
      expect(await ac.search('bb')).toEqual(['bb aa cc', 'bb cc', 'aa bb', 'cc aa bb']);
      expect(await ac.search('cc')).toEqual(['cc aa bb', 'aa cc', 'bb cc', 'bb aa cc']);
    });

    // The docs' boost examples (multipliers 2 and 0.75) show orders walrus' own scoring cannot produce: a word one
    // position later scores 213810021790597 more, about 4x the whole score of 'cc aa bb' under 'cc'. The same calls
    // give walrus' real orders here; multipliers 5 and 0.24 give the orders the docs describe.
    it('applies one-off boosts', async () => {
      const ac = await setup();
      expect(await ac.search('cc', { boosts: { 'bb cc': 2 } })).toEqual(['cc aa bb', 'bb cc', 'aa cc', 'bb aa cc']);
      expect(await ac.search('cc', { boosts: { 'cc aa bb': 0.75 } })).toEqual(['cc aa bb', 'aa cc', 'bb cc', 'bb aa cc']);
      // "take the 3rd result, bb cc, and bring it to the top"
      expect(await ac.search('cc', { boosts: { 'bb cc': 5 } })).toEqual(['bb cc', 'cc aa bb', 'aa cc', 'bb aa cc']);
      // "take the best result, cc aa bb, and push it back a spot"
      expect(await ac.search('cc', { boosts: { 'cc aa bb': 0.24 } })).toEqual(['aa cc', 'cc aa bb', 'bb cc', 'bb aa cc']);
      // Nothing was written back: the plain order is unchanged.
      expect(await ac.search('cc')).toEqual(['cc aa bb', 'aa cc', 'bb cc', 'bb aa cc']);
    });

    it('persists boosts with boostObject', async () => {
      const ac = await setup();
      await ac.boostObject({ id: 'bb cc', multiplier: 2.0 });
      await ac.boostObject({ id: 'cc aa bb', multiplier: 0.75 });
      expect(await ac.search('cc')).toEqual(['cc aa bb', 'bb cc', 'aa cc', 'bb aa cc']);
      await ac.boostObject({ id: 'bb cc', multiplier: 5, relative: false });
      await ac.boostObject({ id: 'cc aa bb', multiplier: 0.24, relative: false });
      expect(await ac.search('cc')).toEqual(['bb cc', 'aa cc', 'cc aa bb', 'bb aa cc']);
    });

    it("stores walrus' exact scores", async () => {
      const ns = fresh();
      const ac = new Autocomplete(t.db, { namespace: ns });
      await ac.store('walrus tusks');
      expect(await t.db.command(['ZSCORE', t.key(`{${ns}}:s:tusks`), 'walrus tusks\x01'])).toBe('564098033051815');
      expect(await t.db.command(['ZSCORE', t.key(`{${ns}}:s:t`), 'walrus tusks\x01'])).toBe('564098033051815');
    });
  });

  it('ignores stopwords in searches except the last word, which may be half typed', async () => {
    const ac = new Autocomplete<string>(t.db, { namespace: fresh() });
    await ac.store('theory of everything');
    await ac.store('the walrus');
    expect(await ac.search('the')).toEqual(['theory of everything']);
    expect(await ac.search('the wal')).toEqual(['the walrus']);
    expect(await ac.search('of the')).toEqual(['theory of everything']);
    expect(await ac.search('of')).toEqual([]);
    expect(await ac.search('  !! ')).toEqual([]);
    const numbers = new Autocomplete<number | string>(t.db, { namespace: fresh() });
    await numbers.store(1984);
    await numbers.store({ id: 2001, title: '2001 a space odyssey' });
    expect(await numbers.search('19')).toEqual([1984]);
    expect(await numbers.search('200 spa')).toEqual(['2001 a space odyssey']);
    expect(await numbers.exists(1984)).toBe(true);
    const all = new Autocomplete<string>(t.db, { namespace: fresh(), stopwords: false });
    await all.store('the walrus');
    expect(await all.search('the')).toEqual(['the walrus']);
  });

  it('limits results and pages them with searchIter', async () => {
    const ac = new Autocomplete<string>(t.db, { namespace: fresh() });
    const words = Array.from({ length: 26 }, (_, i) => `walrus${String.fromCharCode(97 + i)}`);
    for (const w of [...words].reverse()) await ac.store(w);
    expect(await ac.search('walrus', { limit: 3 })).toEqual(words.slice(0, 3));
    expect(await ac.search('walrus')).toEqual(words);
    const paged: string[] = [];
    for await (const w of ac.searchIter('walrus', { chunkSize: 4 })) paged.push(w);
    expect(paged).toEqual(words);
    const boosted: string[] = [];
    for await (const w of ac.searchIter('walrus', { chunkSize: 4, boosts: { walrusz: 1e9 } })) boosted.push(w);
    expect(boosted).toEqual(['walrusz', ...words.slice(0, 25)]);
    expect(await ac.search('walrus', { limit: 2, boosts: { walrusz: 1e9 } })).toEqual(['walrusz', 'walrusa']);
  });

  it('fixes walrus: remove keeps prefix entries of other phrases', async () => {
    const ns = fresh();
    const ac = new Autocomplete<string>(t.db, { namespace: ns });
    await ac.store('walrus tusks');
    await ac.store('walrus whiskers');
    await ac.store('wallaby');
    await ac.remove('walrus tusks');
    expect(await ac.search('w')).toEqual(['wallaby', 'walrus whiskers']);
    expect(await ac.search('walrus')).toEqual(['walrus whiskers']);
    expect(await ac.search('tus')).toEqual([]);
    // Emptied prefix ZSETs are gone.
    expect(await keysOf(`{${ns}}:s:t*`)).toEqual([]);
    await ac.remove('walrus whiskers');
    await ac.remove('wallaby');
    expect(await keysOf(`{${ns}}:*`)).toEqual([]);
  });

  it('fixes walrus: id+type boosts apply and only to that object', async () => {
    const ac = new Autocomplete<string>(t.db, { namespace: fresh() });
    await ac.store({ id: 1, title: 'walrus one', type: 'post' });
    await ac.store({ id: 2, title: 'walrus two', type: 'post' });
    await ac.store({ id: 2, title: 'walrus zzz', type: 'page' });
    expect(await ac.search('walrus')).toEqual(['walrus one', 'walrus two', 'walrus zzz']);
    await ac.boostObject({ id: 2, type: 'page', multiplier: 10 });
    expect(await ac.search('walrus')).toEqual(['walrus zzz', 'walrus one', 'walrus two']);
    await ac.boostObject({ type: 'post', multiplier: 100, relative: false });
    expect(await ac.search('walrus')).toEqual(['walrus one', 'walrus two', 'walrus zzz']);
    expect(await ac.search('walrus', { boosts: { page: 1000 } })).toEqual(['walrus zzz', 'walrus one', 'walrus two']);
    expect(await ac.search('walrus', { boosts: { '1\x01post': 0.0001 } })).toEqual(['walrus two', 'walrus zzz', 'walrus one']);
  });

  it('orders results tied on boosted score by member bytes, also at the limit', async () => {
    const ac = new Autocomplete<string>(t.db, { namespace: fresh() });
    for (const id of ['q', 'c', 'x', 'a', 'm', 'b']) await ac.store({ id, title: 'same walrus title', data: id });
    await ac.store({ id: 'z', title: 'walrus first', data: 'z' });
    expect(await ac.search('walrus', { limit: 3 })).toEqual(['z', 'a', 'b']);
    await ac.boostObject({ type: 'unrelated', multiplier: 3 });
    expect(await ac.search('walrus', { limit: 3 })).toEqual(['z', 'a', 'b']);
    expect(await ac.search('walrus', { limit: 2, boosts: { z: 0.1 } })).toEqual(['a', 'b']);
    expect(await ac.search('walrus', { boosts: { z: 0.1, m: 2 } })).toEqual(['m', 'a', 'b', 'c', 'q', 'x', 'z']);
  });

  it('fixes walrus: repeated boosted searches do not compound and write nothing', async () => {
    const ns = fresh();
    const ac = new Autocomplete<string>(t.db, { namespace: ns });
    for (const p of ['aa bb', 'aa cc', 'bb cc', 'bb aa cc', 'cc aa bb']) await ac.store(p);
    const before = await t.db.command(['ZRANGE', t.key(`{${ns}}:s:cc`), '0', '-1', 'WITHSCORES']);
    for (let i = 0; i < 5; i++) expect(await ac.search('cc', { boosts: { 'cc aa bb': 0.24 } })).toEqual(['aa cc', 'cc aa bb', 'bb cc', 'bb aa cc']);
    expect(await ac.search('aa c')).toEqual(['aa cc', 'cc aa bb', 'bb aa cc']);
    const cache = t.key(`{${ns}}:c:aa|c`);
    const cached = await t.db.command(['ZRANGE', cache, '0', '-1', 'WITHSCORES']);
    for (let i = 0; i < 5; i++) expect(await ac.search('aa c', { boosts: { 'bb aa cc': 10 } })).toEqual(['bb aa cc', 'aa cc', 'cc aa bb']);
    await ac.boostObject({ id: 'bb aa cc', multiplier: 10 });
    for (let i = 0; i < 5; i++) expect(await ac.search('aa c')).toEqual(['bb aa cc', 'aa cc', 'cc aa bb']);
    expect(await t.db.command(['ZRANGE', cache, '0', '-1', 'WITHSCORES'])).toEqual(cached);
    expect(await t.db.command(['ZRANGE', t.key(`{${ns}}:s:cc`), '0', '-1', 'WITHSCORES'])).toEqual(before);
    expect(await keysOf(`{${ns}}:c:*`)).toEqual([`{${ns}}:c:aa|c`]);
  });

  it('caches multi-word intersections for cacheTtl (set once), or not at all with 0', async () => {
    const ns = fresh();
    const ac = new Autocomplete<string>(t.db, { namespace: ns, cacheTtl: '30s' });
    await ac.store('walrus carpenter');
    expect(await ac.search('wal car')).toEqual(['walrus carpenter']);
    const cache = t.key(`{${ns}}:c:wal|car`);
    const ttl = Number(await t.db.command(['PTTL', cache]));
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    // The cache answers until it expires: a phrase stored now shows up later (walrus behaves alike).
    await ac.store('walrus carpentry');
    expect(await ac.search('wal car')).toEqual(['walrus carpenter']);
    await t.db.command(['DEL', cache]);
    expect(await ac.search('wal car')).toEqual(['walrus carpenter', 'walrus carpentry']);
    const live = new Autocomplete<string>(t.db, { namespace: ns, cacheTtl: 0 });
    await live.store('walrus carpet');
    await t.db.command(['DEL', cache]);
    expect(await live.search('wal car')).toEqual(['walrus carpenter', 'walrus carpentry', 'walrus carpet']);
    expect(await keysOf(`{${ns}}:c:*`)).toEqual([]);
  });

  it('re-stores: an unchanged title rewrites only the data, a new title moves the prefixes', async () => {
    const ns = fresh();
    const ac = new Autocomplete<{ v: number }>(t.db, { namespace: ns });
    await ac.store({ id: 'x', title: 'walrus', data: { v: 1 } });
    const prefixes = await keysOf(`{${ns}}:s:*`);
    await ac.store({ id: 'x', title: 'walrus', data: { v: 2 } });
    expect(await ac.search('wal')).toEqual([{ v: 2 }]);
    expect(await keysOf(`{${ns}}:s:*`)).toEqual(prefixes);
    await ac.store({ id: 'x', title: 'carpenter', data: { v: 3 } });
    expect(await ac.search('wal')).toEqual([]);
    expect(await ac.search('carp')).toEqual([{ v: 3 }]);
    expect((await keysOf(`{${ns}}:s:*`)).map((k) => k.slice(`{${ns}}:s:`.length))).toEqual(['c', 'ca', 'car', 'carp', 'carpe', 'carpen', 'carpent', 'carpente', 'carpenter']);
    expect(await ac.listTitles()).toEqual(['carpenter']);
    expect(await ac.listData()).toEqual([{ v: 3 }]);
  });

  it('saves boosts relatively or absolutely and returns them', async () => {
    const ns = fresh();
    const ac = new Autocomplete(t.db, { namespace: ns });
    expect(await ac.boostObject({ id: 7 })).toBe(1.1);
    expect(await ac.boostObject({ id: 7 })).toBe(1.1 * 1.1);
    expect(await ac.boostObject({ id: 7, multiplier: 2, relative: false })).toBe(2);
    expect(await t.db.command(['HGET', t.key(`{${ns}}:b`), '7\x01'])).toBe('2.0');
    expect(await ac.boostObject({ type: 'photo', multiplier: 3 })).toBe(3);
    expect(await ac.boostObject({ type: 'photo', multiplier: 0.5 })).toBe(1.5);
    expect(await t.db.command(['HGETALL', t.key(`{${ns}}:b`)])).toEqual(['7\x01', '2.0', '\x01photo', '1.5']);
  });

  it('lists data and titles, and flushes every key of its namespace only', async () => {
    const ns = fresh();
    const ac = new Autocomplete(t.db, { namespace: ns });
    const other = new Autocomplete(t.db, { namespace: `${ns}x` });
    await ac.store({ id: 1, title: 'walrus tusks', data: { n: 1 } });
    await ac.store({ id: 2, title: 'walrus whiskers' });
    await ac.boostObject({ id: 1 });
    await ac.search('wal tus');
    await other.store('walrus');
    expect((await ac.listTitles()).sort()).toEqual(['walrus tusks', 'walrus whiskers']);
    expect(await ac.listData()).toEqual(expect.arrayContaining([{ n: 1 }, 'walrus whiskers']));
    const count = (await keysOf(`{${ns}}:*`)).length;
    expect(count).toBeGreaterThan(15);
    expect(await ac.flush()).toBe(count);
    expect(await keysOf(`{${ns}}:*`)).toEqual([]);
    expect(await ac.search('wal')).toEqual([]);
    expect(await other.search('wal')).toEqual(['walrus']);
  });

  it('keeps Unicode letters with unicode: true', async () => {
    const ac = new Autocomplete<string>(t.db, { namespace: fresh(), unicode: true });
    await ac.store('Café Zürich');
    await ac.store('東京 tower');
    expect(await ac.search('zü')).toEqual(['Café Zürich']);
    expect(await ac.search('caf')).toEqual(['Café Zürich']);
    expect(await ac.search('東')).toEqual(['東京 tower']);
    const ascii = new Autocomplete<string>(t.db, { namespace: fresh() });
    await ascii.store('Café Zürich');
    expect(await ascii.search('ü')).toEqual([]);
    expect(await ascii.search('zrich')).toEqual(['Café Zürich']);
  });

  it('rejects bad input with named errors before writing anything', async () => {
    const ns = fresh();
    const ac = new Autocomplete(t.db, { namespace: ns });
    await expect(ac.store('')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ac.store({ id: '' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ac.store({ id: 'a\x01b' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ac.store({ id: 1, title: '' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ac.store({ id: 1, data: () => 1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ac.store({ id: 1, type: 3 as unknown as string })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ac.boostObject({ id: 1, multiplier: 0 })).rejects.toMatchObject({ name: 'InvalidArgumentError', field: 'multiplier' });
    await expect(ac.boostObject({ id: 1, multiplier: -2 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ac.boostObject({})).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ac.search('wal', { limit: 0 })).rejects.toMatchObject({ name: 'InvalidArgumentError', field: 'limit' });
    await expect(ac.search('wal', { boosts: { x: 0 } })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ac.remove('nothing')).rejects.toBeInstanceOf(NotFoundError);
    expect(() => new Autocomplete(t.db, { cacheTtl: -1 })).toThrow(InvalidArgumentError);
    expect(() => new Autocomplete(t.db, { namespace: '' })).toThrow(InvalidArgumentError);
    expect(await keysOf(`{${ns}}:*`)).toEqual([]);
  });

  it('raises DecodeError for data that is not JSON', async () => {
    const ns = fresh();
    const ac = new Autocomplete(t.db, { namespace: ns });
    await ac.store('walrus');
    await t.db.command(['HSET', t.key(`{${ns}}:d`), 'walrus\x01', 'not json']);
    await expect(ac.search('wal')).rejects.toMatchObject({ name: 'DecodeError', key: t.key(`{${ns}}:d`) });
    await expect(ac.listData()).rejects.toBeInstanceOf(DecodeError);
  });

  it('stores wholly or not at all: a wrong-typed prefix key fails the store before anything changes', async () => {
    const ns = fresh();
    const ac = new Autocomplete<string>(t.db, { namespace: ns });
    await ac.store({ id: 1, title: 'walrus' });
    await t.db.command(['SET', t.key(`{${ns}}:s:tu`), 'x']);
    const err = await ac.store({ id: 1, title: 'tusks' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: t.key(`{${ns}}:s:tu`), expected: 'zset', actual: 'string' });
    expect(await ac.search('wal')).toEqual(['walrus']);
    expect(await keysOf(`{${ns}}:s:t*`)).toEqual([`{${ns}}:s:tu`]);
    expect(await ac.listTitles()).toEqual(['walrus']);
    await t.db.command(['DEL', t.key(`{${ns}}:s:tu`)]);
    await t.db.command(['SET', t.key(`{${ns}}:b`), 'x']);
    await expect(ac.remove(1)).rejects.toMatchObject({ name: 'WrongTypeError', key: t.key(`{${ns}}:b`) });
    await t.db.command(['DEL', t.key(`{${ns}}:b`)]);
    expect(await ac.search('wal')).toEqual(['walrus']);
    await expect(ac.remove(1)).resolves.toBeUndefined();
    expect(await keysOf(`{${ns}}:*`)).toEqual([]);
  });

  it('stays consistent under concurrent stores of one id with different titles', async () => {
    const ns = fresh();
    const handles = await Promise.all([t.connect(), t.connect(), t.connect()]);
    const titles = Array.from({ length: 24 }, (_, i) => `title${String.fromCharCode(97 + i)} common`);
    const results = await Promise.allSettled(titles.map((title, i) => new Autocomplete<string>(handles[i % 3], { namespace: ns }).store({ id: 'x', title })));
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    const ac = new Autocomplete<string>(t.db, { namespace: ns });
    const [title] = await ac.listTitles();
    expect(await ac.search('title')).toEqual([title]);
    expect(await ac.search('common')).toEqual([title]);
    // Only the final title's prefixes hold the member.
    const words = title.split(' ');
    const expected = new Set(words.flatMap((w) => Array.from(w, (_, i) => `{${ns}}:s:${w.slice(0, i + 1)}`)));
    expect(await keysOf(`{${ns}}:s:*`)).toEqual([...expected].sort());
  });

  it("searches an index laid out by walrus (Python) with hashTag: false and namespace 'walrus'", async () => {
    const ns = `walrus${fresh()}`;
    // What walrus' Autocomplete.store('walrus tusks') and store('the walrus and the carpenter') write.
    const py = new Autocomplete<string>(t.db, { namespace: ns, hashTag: false });
    const member = (p: string) => `${p}\x01`;
    await t.db.command(['HSET', t.key(`${ns}:d`), member('walrus tusks'), '"walrus tusks"', member('the walrus and the carpenter'), '"the walrus and the carpenter"']);
    await t.db.command(['HSET', t.key(`${ns}:t`), member('walrus tusks'), 'walrus tusks', member('the walrus and the carpenter'), 'the walrus and the carpenter']);
    const zadd = async (prefix: string, score: string, m: string) => t.db.command(['ZADD', t.key(`${ns}:s:${prefix}`), score, member(m)]);
    // Scores walrus computed for these two phrases (see the scoring unit tests for the formula).
    const { prefixScores } = await import('../src/scoring');
    for (const [p, s] of prefixScores(['walrus', 'tusks'])) await zadd(p, s, 'walrus tusks');
    for (const [p, s] of prefixScores(['walrus', 'carpenter'])) await zadd(p, s, 'the walrus and the carpenter');
    if (t.isCluster) {
      // Python's names spread over slots: the search script is refused before anything is sent.
      await expect(py.search('wal')).rejects.toBeInstanceOf(CrossSlotError);
      expect(await py.exists('walrus tusks')).toBe(true);
    } else {
      expect(await py.search('wal')).toEqual(['the walrus and the carpenter', 'walrus tusks']);
      expect(await py.search('tus')).toEqual(['walrus tusks']);
      await py.store('walrus whiskers');
      await py.remove('walrus tusks');
      expect(await py.search('wal')).toEqual(['the walrus and the carpenter', 'walrus whiskers']);
      expect(await t.db.command(['HGET', t.key(`${ns}:t`), member('walrus whiskers')])).toBe('walrus whiskers');
    }
  });

  it('keeps every key of a tagged namespace in one cluster slot', async () => {
    const ns = fresh();
    const ac = new Autocomplete(t.db, { namespace: ns });
    await ac.store('walrus tusks');
    await ac.boostObject({ id: 'walrus tusks' });
    await ac.search('wal tu');
    const keys = await keysOf(`{${ns}}:*`);
    expect(keys.length).toBeGreaterThan(10);
    expect(new Set(keys.map((k) => keySlot(t.key(k)))).size).toBe(1);
  });
});
