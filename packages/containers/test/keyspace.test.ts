import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, NotFoundError, WrongTypeError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { BitField, BloomFilter, Counter, Hash, HyperLogLog, List, RedisArray, RedisSet, ZSet, cas, getKey, scanKeys } from '@walrus/containers';

describeTopologies('Keyspace utilities and the Container base', (t) => {
  describe('cas', () => {
    it('writes when the current value starts with the expected prefix (Python), or equals it in exact mode', async () => {
      await t.db.command(['SET', t.key('state'), 'pending:42']);
      expect(await cas(t.db, 'state', 'pending', 'running')).toBe(true);
      expect(await t.rawCommand(['GET', t.key('state')], t.key('state'))).toBe('running');
      expect(await cas(t.db, 'state', 'pending', 'done')).toBe(false);
      expect(await cas(t.db, 'state', 'run', 'done', { mode: 'exact' })).toBe(false);
      expect(await cas(t.db, 'state', 'running', 'done', { mode: 'exact' })).toBe(true);
      expect(await cas(t.db, 'missing', '', 'x')).toBe(false);
      expect(await t.rawCommand(['EXISTS', t.key('missing')], t.key('missing'))).toBe(0);
      const bin = Buffer.from([0xff, 0x00, 0x01]);
      await t.db.command(['SET', t.key('bin'), Buffer.concat([bin, Buffer.from('tail')])]);
      expect(await cas(t.db, 'bin', bin, Buffer.from([0x02]))).toBe(true);
      expect(await t.db.command(['GET', t.key('bin')], { buffers: true })).toEqual(Buffer.from([0x02]));
    });

    it('clears the TTL like SET, or keeps it with keepTtl', async () => {
      await t.db.command(['SET', t.key('ttl'), 'a', 'PX', '60000']);
      expect(await cas(t.db, 'ttl', 'a', 'b', { keepTtl: true })).toBe(true);
      expect(await t.rawCommand<number>(['PTTL', t.key('ttl')], t.key('ttl'))).toBeGreaterThan(50_000);
      expect(await cas(t.db, 'ttl', 'b', 'c')).toBe(true);
      expect(await t.rawCommand(['PTTL', t.key('ttl')], t.key('ttl'))).toBe(-1);
    });

    it('lets exactly one of 50 racing callers win', async () => {
      await t.db.command(['SET', t.key('race'), 'free']);
      const wins = await Promise.all(Array.from({ length: 50 }, (_, i) => cas(t.db, 'race', 'free', `taken-by-${i}`)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await t.rawCommand(['GET', t.key('race')], t.key('race'))).toBe(`taken-by-${wins.indexOf(true)}`);
    });

    it('refuses bad input and other types', async () => {
      await expect(cas(t.db, 'x', 1 as never, 'a')).rejects.toThrow(InvalidArgumentError);
      await expect(cas(t.db, 'x', 'a', 'b', { mode: 'fuzzy' as never })).rejects.toThrow(InvalidArgumentError);
      await expect(cas(t.db, '', 'a', 'b')).rejects.toThrow(InvalidArgumentError);
      await t.rawCommand(['RPUSH', t.key('cas-list'), 'x'], t.key('cas-list'));
      await expect(cas(t.db, 'cas-list', 'a', 'b')).rejects.toMatchObject({ name: 'WrongTypeError', expected: 'string', actual: 'list' });
    });
  });

  describe('getKey', () => {
    it('returns the container for the key type, and the value of strings', async () => {
      await new Hash(t.db, 'gk-hash').set('a', '1');
      await new List(t.db, 'gk-list').push('a');
      await new RedisSet(t.db, 'gk-set').add('a');
      await new ZSet(t.db, 'gk-zset').set('a', 1);
      await t.db.command(['SET', t.key('gk-str'), 'hello']);
      const h = await getKey(t.db, 'gk-hash');
      expect(h).toBeInstanceOf(Hash);
      expect(await (h as Hash).get('a')).toBe('1');
      expect(await getKey(t.db, 'gk-list')).toBeInstanceOf(List);
      expect(await getKey(t.db, 'gk-set')).toBeInstanceOf(RedisSet);
      const z = await getKey(t.db, 'gk-zset');
      expect(z).toBeInstanceOf(ZSet);
      expect((z as ZSet).key).toBe(t.key('gk-zset'));
      expect(await getKey(t.db, 'gk-str')).toBe('hello');
    });

    it('raises NotFoundError for missing keys and WrongTypeError for other types', async () => {
      const err = await getKey(t.db, 'gk-none').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err).toMatchObject({ key: t.key('gk-none') });
      await t.db.command(['XADD', t.key('gk-stream'), '*', 'f', 'v']);
      await expect(getKey(t.db, 'gk-stream')).rejects.toMatchObject({ name: 'WrongTypeError', actual: 'stream' });
      await expect(getKey(t.db, 'gk-stream')).rejects.toBeInstanceOf(WrongTypeError);
    });
  });

  it('scanKeys iterates matching names under the prefix on every node, by type', async () => {
    const db = await t.connect({ prefix: `${t.prefix}scan:` });
    const names = Array.from({ length: 40 }, (_, i) => `item:${i}`);
    for (const n of names) await new Hash(db, n).set('f', 'v');
    await new List(db, 'item:list').push('x');
    await new List(db, 'other').push('x');
    const seen: string[] = [];
    for await (const k of scanKeys(db, 'item:*', { count: 10 })) seen.push(k);
    expect(seen.sort()).toEqual([...names, 'item:list'].sort());
    const hashes: string[] = [];
    for await (const k of scanKeys(db, '*', { type: 'list' })) hashes.push(k);
    expect(hashes.sort()).toEqual(['item:list', 'other']);
  });

  describe('Container base', () => {
    it('expires, reports the TTL, persists, dumps, checks existence and clears', async () => {
      const h = new Hash(t.db, 'base');
      expect(await h.ttl()).toBeUndefined();
      expect(await h.expire(1000)).toBe(false);
      expect(await h.dump()).toBeUndefined();
      await h.set('a', '1');
      expect(await h.exists()).toBe(true);
      expect(await h.ttl()).toBeNull();
      expect(await h.expire('10s')).toBe(true);
      const ttl = (await h.ttl())!;
      expect(ttl).toBeGreaterThan(9000);
      expect(ttl).toBeLessThanOrEqual(10_000);
      expect(await h.pexpire(5000)).toBe(true);
      expect(await h.ttl()).toBeLessThanOrEqual(5000);
      expect(await h.persist()).toBe(true);
      expect(await h.ttl()).toBeNull();
      await h.expire(60_000);
      expect(await h.expire(Infinity)).toBe(true);
      expect(await h.ttl()).toBeNull();
      const dump = await h.dump();
      expect(Buffer.isBuffer(dump)).toBe(true);
      const copy = t.key('base-copy');
      await t.db.command(['RESTORE', copy, '0', dump!], { key: copy });
      expect(await new Hash(t.db, 'base-copy').toObject()).toEqual({ a: '1' });
      expect(await h.clear()).toBe(true);
      expect(await h.clear()).toBe(false);
      expect(await h.exists()).toBe(false);
      await expect(h.expire(-5)).rejects.toThrow(InvalidArgumentError);
    });

    it('lets a key expire for real', async () => {
      const l = new List(t.db, 'short-lived');
      await l.push('x');
      await l.expire(100);
      await sleep(250);
      expect(await l.exists()).toBe(false);
    });

    it('names keys verbatim in both key modes (Python names with prefix "" and hashTag: false)', async () => {
      const plain = await t.connect({ prefix: '', hashTag: false });
      const tagged = await t.connect({ prefix: '' });
      for (const db of [plain, tagged]) {
        expect(new Hash(db, 'charlie').key).toBe('charlie');
        expect(new List(db, 'names').key).toBe('names');
        expect(new RedisSet(db, 's1').key).toBe('s1');
        expect(new ZSet(db, 'z1').key).toBe('z1');
        expect(new HyperLogLog(db, 'hl').key).toBe('hl');
        expect(new RedisArray(db, 'arr').key).toBe('arr');
        expect(new BitField(db, 'bf').key).toBe('bf');
        expect(new BloomFilter(db, 'bloom').key).toBe('bloom');
        expect(new Counter(db, 'hits').key).toBe('counter:hits');
      }
      expect(new Hash(t.db.group('u'), 'a').key).toBe(`${t.prefix}{u}:a`);
    });
  });
});
