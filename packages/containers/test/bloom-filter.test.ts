import { InvalidArgumentError, WrongTypeError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { BloomFilter, bloomPositions } from '@walrus/containers';

describeTopologies('BloomFilter', (t) => {
  it('never misses an added item and rejects different ones (the documented session)', async () => {
    const bf = new BloomFilter(t.db, 'bf');
    const data = ['foo', 'bar', 'baz', 'nugget', 'this is a test', 'testing'];
    for (const item of data) await bf.add(item);
    for (const item of data) expect(await bf.has(item)).toBe(true);
    for (const item of data) {
      expect(await bf.has(item.toUpperCase())).toBe(false);
      expect(await bf.has(item[0].toUpperCase() + item.slice(1))).toBe(false);
    }
    expect(await bf.contains('foo')).toBe(true);
  });

  it('uses 64 KB by default and sets exactly the bits the Python library sets', async () => {
    const bf = new BloomFilter(t.db, 'layout');
    expect(bf.bits).toBe(524_288);
    expect(bf.size).toBe(65_536);
    await bf.add('foo');
    // Positions computed by Python: struct.unpack('>IIII', md5(b'foo').digest()), each % 524288.
    for (const p of [334043, 194652, 484687, 304344]) expect(await t.rawCommand(['GETBIT', bf.key, String(p)], bf.key)).toBe(1);
    expect(await t.rawCommand(['BITCOUNT', bf.key], bf.key)).toBe(4);
    expect(await t.rawCommand(['STRLEN', bf.key], bf.key)).toBeLessThanOrEqual(65_536);

    const small = new BloomFilter(t.db, 'small', { size: 16 });
    expect(await small.add('foo', 'bar', 'baz')).toBe(3);
    // The 16-byte filter Python computes for the same items (Redis stores it up to the last byte with a set bit).
    const stored = await t.db.command<Buffer>(['GET', small.key], { buffers: true });
    expect(stored.toString('hex').padEnd(32, '0')).toBe('08800040080000000001209808802000');
  });

  it('reads a filter written byte for byte as the Python library would', async () => {
    const bits = 800;
    const key = t.key('from-python');
    // Python's bits for 'this is a test' with size=100 bytes: [652, 392, 497, 760].
    for (const p of [652, 392, 497, 760]) await t.rawCommand(['SETBIT', key, String(p), '1'], key);
    const bf = new BloomFilter(t.db, 'from-python', { size: bits / 8 });
    expect(await bf.has('this is a test')).toBe(true);
    expect(await bf.has('this is a tesT')).toBe(false);
  });

  it('adds several items in one call, counting the surely new ones, and takes bytes and numbers', async () => {
    const bf = new BloomFilter(t.db, 'many');
    expect(await bf.add('a', 'b', 'a')).toBe(2);
    expect(await bf.add('a')).toBe(0);
    expect(await bf.add(Buffer.from('raw'), 42)).toBe(2);
    expect(await bf.has(Buffer.from('raw'))).toBe(true);
    expect(await bf.has('42')).toBe(true);
    expect(await bf.add()).toBe(0);
    expect(await bf.has('walrus 🦭')).toBe(false);
    await bf.add('walrus 🦭');
    expect(await bf.has('walrus 🦭')).toBe(true);
  });

  it('refuses bad sizes and items, and raises WrongTypeError on other types', async () => {
    for (const size of [0, -1, 1.5, 2 ** 30]) expect(() => new BloomFilter(t.db, 'x', { size })).toThrow(InvalidArgumentError);
    const bf = new BloomFilter(t.db, 'bad');
    await expect(bf.add('ok', {} as never)).rejects.toThrow(InvalidArgumentError);
    await expect(bf.add(NaN)).rejects.toThrow(InvalidArgumentError);
    expect(await bf.exists()).toBe(false);
    await t.rawCommand(['RPUSH', t.key('list'), 'x'], t.key('list'));
    await expect(new BloomFilter(t.db, 'list').has('a')).rejects.toBeInstanceOf(WrongTypeError);
  });
});

describe('bloomPositions', () => {
  it.each([
    ['foo', [334043, 194652, 484687, 304344]],
    ['this is a test', [50572, 127656, 79121, 395576]],
    ['walrus 🦭', [519964, 200135, 98399, 357983]],
    ['', [363737, 45572, 2456, 17022]],
  ])('hashes %j as Python does', (item, expected) => {
    expect(bloomPositions(item, 524_288)).toEqual(expected);
  });
});
