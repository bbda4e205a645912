import { InvalidArgumentError, WrongTypeError, jsonCodec } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { RedisArray } from '@walrus/containers';

describeTopologies('RedisArray', (t) => {
  it('extends, sets from the end, lists and pops by index (the documented session)', async () => {
    const a = new RedisArray(t.db, 'arr');
    expect(await a.push('foo', 'bar', 'baz', 'nugget')).toBe(4);
    await a.set(-1, 'nize');
    expect(await a.toArray()).toEqual(['foo', 'bar', 'baz', 'nize']);
    expect(await a.removeAt(2)).toBe('baz');
    expect(await a.toArray()).toEqual(['foo', 'bar', 'nize']);
    expect(await t.db.command(['HMGET', a.key, '0', '1', '2', '3'])).toEqual(['foo', 'bar', 'nize', null]);
    expect(await t.rawCommand(['HLEN', a.key], a.key)).toBe(3);
  });

  it('reads by index, from the end, and answers undefined out of range', async () => {
    const a = new RedisArray(t.db, 'read');
    await a.push('a', 'b', 'c');
    expect(await a.at(0)).toBe('a');
    expect(await a.at(2)).toBe('c');
    expect(await a.at(-1)).toBe('c');
    expect(await a.at(-3)).toBe('a');
    expect(await a.at(3)).toBeUndefined();
    expect(await a.at(-4)).toBeUndefined();
    expect(await a.size()).toBe(3);
  });

  it('refuses to set outside the array, writing nothing', async () => {
    const a = new RedisArray(t.db, 'bounds');
    await a.push('a');
    for (const i of [1, -2, 10]) {
      const err = await a.set(i, 'x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect(err).toMatchObject({ field: 'index', value: i });
    }
    await expect(new RedisArray(t.db, 'none').set(0, 'x')).rejects.toThrow(InvalidArgumentError);
    expect(await new RedisArray(t.db, 'none').exists()).toBe(false);
    await expect(a.at(0.5)).rejects.toThrow(InvalidArgumentError);
    expect(await a.toArray()).toEqual(['a']);
  });

  it('pops the last element and removes from the middle, shifting later ones down', async () => {
    const a = new RedisArray(t.db, 'pop');
    await a.push('a', 'b', 'c', 'd');
    expect(await a.pop()).toBe('d');
    expect(await a.removeAt(0)).toBe('a');
    expect(await a.removeAt(-1)).toBe('c');
    expect(await a.removeAt(5)).toBeUndefined();
    expect(await a.toArray()).toEqual(['b']);
    expect(await t.rawCommand(['HKEYS', a.key], a.key)).toEqual(['0']);
    expect(await a.pop()).toBe('b');
    expect(await a.pop()).toBeUndefined();
    expect(await a.exists()).toBe(false);
  });

  it('stays dense when 50 callers push and pop at once: every write is one script', async () => {
    const a = new RedisArray(t.db, 'race');
    const other = await t.connect();
    const b = new RedisArray(other, 'race');
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).push(`v${i}`)));
    expect(await a.size()).toBe(50);
    expect((await a.toArray()).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`).sort());
    const popped = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).removeAt(i % 3 === 0 ? 0 : -1)));
    expect(new Set(popped).size).toBe(30);
    const rest = await a.toArray();
    expect(rest).toHaveLength(20);
    expect([...popped, ...rest].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`).sort());
    expect((await t.rawCommand<string[]>(['HKEYS', a.key], a.key)).map(Number).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('finds values (indexOf, includes)', async () => {
    const a = new RedisArray(t.db, 'find');
    await a.push('x', 'y', 'x');
    expect(await a.indexOf('x')).toBe(0);
    expect(await a.indexOf('y')).toBe(1);
    expect(await a.indexOf('z')).toBe(-1);
    expect(await a.includes('y')).toBe(true);
    expect(await a.includes('z')).toBe(false);
  });

  it('lists, slices and iterates in numeric index order past ten elements', async () => {
    const a = new RedisArray(t.db, 'order');
    const items = Array.from({ length: 25 }, (_, i) => `v${i}`);
    await a.push(...items);
    expect(await a.toArray()).toEqual(items);
    for (const [s, e] of [[0, 12], [8, 11], [-3, undefined], [5, -5], [20, 100], [3, 1]] as [number, number | undefined][])
      expect(await a.slice(s, e)).toEqual(items.slice(s, e));
    const seen: string[] = [];
    for await (const v of a.iterate({ count: 4 })) seen.push(v);
    expect(seen).toEqual(items);
    const all: string[] = [];
    for await (const v of a) all.push(v);
    expect(all).toEqual(items);
  });

  it('reads arrays written in the Python layout and stores values through a codec', async () => {
    const k = t.key('py');
    await t.rawCommand(['HSET', k, '0', 'zero', '1', 'one', '2', 'two'], k);
    const a = new RedisArray(t.db, 'py');
    expect(await a.toArray()).toEqual(['zero', 'one', 'two']);
    await a.push('three');
    expect(await t.rawCommand(['HGET', k, '3'], k)).toBe('three');

    const j = new RedisArray<{ n: number }>(t.db, 'json', { codec: jsonCodec() });
    await j.push({ n: 1 }, { n: 2 });
    expect(await j.at(-1)).toEqual({ n: 2 });
    expect(await j.indexOf({ n: 2 })).toBe(1);
  });

  it('raises WrongTypeError on a key of another type', async () => {
    await t.rawCommand(['RPUSH', t.key('lst'), 'x'], t.key('lst'));
    const a = new RedisArray(t.db, 'lst');
    await expect(a.push('y')).rejects.toMatchObject({ name: 'WrongTypeError', key: t.key('lst'), expected: 'hash', actual: 'list' });
    await expect(a.at(0)).rejects.toBeInstanceOf(WrongTypeError);
    await expect(a.toArray()).rejects.toBeInstanceOf(WrongTypeError);
  });
});
