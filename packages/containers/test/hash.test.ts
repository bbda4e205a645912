import { DecodeError, InvalidArgumentError, WrongTypeError, bufferCodec, jsonCodec } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { Hash } from '@walrus/containers';

describeTopologies('Hash', (t) => {
  it('acts like a map: update, read, iterate, delete, set, has, size (the documented session)', async () => {
    const h = new Hash(t.db, 'charlie');
    expect(h.key).toBe(t.key('charlie'));
    expect(await h.setMany({ name: 'Charlie', favorite_cat: 'Huey' })).toBe(2);
    expect(await h.get('name')).toBe('Charlie');
    const seen: [string, string][] = [];
    for await (const entry of h) seen.push(entry);
    expect(seen.sort()).toEqual([['favorite_cat', 'Huey'], ['name', 'Charlie']]);
    expect(await h.delete('favorite_cat')).toBe(1);
    expect(await h.set('age', '31')).toBe(true);
    expect(await h.set('age', '32')).toBe(false);
    expect(await h.toObject()).toEqual({ age: '32', name: 'Charlie' });
    expect(await h.has('name')).toBe(true);
    expect(await h.has('favorite_cat')).toBe(false);
    expect(await h.size()).toBe(2);
    expect(await t.rawCommand(['HGET', h.key, 'name'], h.key)).toBe('Charlie');
  });

  it('reads several fields at once, keys, values and entries, and answers undefined for absent fields', async () => {
    const h = new Hash(t.db, 'person');
    await h.setMany([['first_name', 'Charlie'], ['last_name', 'Leifer']]);
    expect(await h.getMany(['first_name', 'last_name', 'nope'])).toEqual(['Charlie', 'Leifer', undefined]);
    expect(await h.get('nope')).toBeUndefined();
    expect((await h.keys()).sort()).toEqual(['first_name', 'last_name']);
    expect((await h.values()).sort()).toEqual(['Charlie', 'Leifer']);
    expect((await h.entries()).sort()).toEqual([['first_name', 'Charlie'], ['last_name', 'Leifer']]);
    expect(await h.getMany([])).toEqual([]);
  });

  it('sets a field only when absent', async () => {
    const h = new Hash(t.db, 'nx');
    expect(await h.setIfAbsent('a', '1')).toBe(true);
    expect(await h.setIfAbsent('a', '2')).toBe(false);
    expect(await h.get('a')).toBe('1');
  });

  it('increments integers and floats, and refuses non-integers before writing', async () => {
    const h = new Hash(t.db, 'counts');
    expect(await h.incr('n')).toBe(1);
    expect(await h.incr('n', 41)).toBe(42);
    expect(await h.incr('n', -2)).toBe(40);
    expect(await h.incrFloat('f', 1.5)).toBe(1.5);
    expect(await h.incrFloat('f', 0.25)).toBe(1.75);
    await expect(h.incr('n', 1.5)).rejects.toThrow(InvalidArgumentError);
    await expect(h.incrFloat('f', NaN)).rejects.toThrow(InvalidArgumentError);
    expect(await h.get('n')).toBe('40');
    await h.set('text', 'abc');
    const err = await h.incr('text').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toContain('text');
    expect(await h.get('text')).toBe('abc');
  });

  it('scans entries matching a pattern (Python search)', async () => {
    const h = new Hash(t.db, 'scan');
    const data = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, `v${i}`]));
    await h.setMany(data);
    const all = new Map<string, string>();
    for await (const [f, v] of h.scan({ count: 50 })) all.set(f, v);
    expect(Object.fromEntries(all)).toEqual(data);
    const matched: string[] = [];
    for await (const [f] of h.scan({ match: 'k1?' })) matched.push(f);
    expect(matched.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k1${i}`).sort());
  });

  it('stores values through a codec: JSON and raw bytes', async () => {
    const j = new Hash<{ n: number } | null>(t.db, 'json', { codec: jsonCodec() });
    await j.set('a', { n: 1 });
    await j.set('b', null);
    expect(await j.get('a')).toEqual({ n: 1 });
    expect(await j.get('b')).toBeNull();
    expect(await t.rawCommand(['HGET', j.key, 'a'], j.key)).toBe('{"n":1}');
    await t.rawCommand(['HSET', j.key, 'bad', '{oops'], j.key);
    await expect(j.get('bad')).rejects.toMatchObject({ name: 'DecodeError', key: j.key });
    await expect(j.get('bad')).rejects.toBeInstanceOf(DecodeError);

    const b = new Hash(t.db, 'bytes', { codec: bufferCodec });
    const blob = Buffer.from([0, 255, 128, 10]);
    await b.set('blob', blob);
    expect(await b.get('blob')).toEqual(blob);
    expect(await b.entries()).toEqual([['blob', blob]]);
    expect(await b.keys()).toEqual(['blob']);
  });

  it('rejects bad input before sending anything', async () => {
    const h = new Hash(t.db, 'bad');
    await expect(h.set(1 as never, 'x')).rejects.toThrow(InvalidArgumentError);
    await expect(h.setMany({ a: 'x', b: 2 as never })).rejects.toThrow(InvalidArgumentError);
    expect(await h.exists()).toBe(false);
    expect(await h.setMany({})).toBe(0);
    expect(await h.delete()).toBe(0);
    expect(() => new Hash(t.db, '')).toThrow(InvalidArgumentError);
  });

  it('raises WrongTypeError naming key, expected and actual type', async () => {
    const k = t.key('a-list');
    await t.rawCommand(['RPUSH', k, 'x'], k);
    const h = new Hash(t.db, 'a-list');
    const err = await h.get('f').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: k, expected: 'hash', actual: 'list' });
    await expect(h.set('f', 'v')).rejects.toBeInstanceOf(WrongTypeError);
    expect(await t.rawCommand(['LRANGE', k, '0', '-1'], k)).toEqual(['x']);
  });
});
