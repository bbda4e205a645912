import { InvalidArgumentError, WrongTypeError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { BitField } from '@walrus/containers';

describeTopologies('BitField', (t) => {
  it('runs chained get/set operations in one BITFIELD (the documented session)', async () => {
    const bf = new BitField(t.db, 'bf');
    expect(await bf.set('u8', 8, 255).get('u8', 0).get('u4', 8).get('u4', 12).get('u4', 13).execute()).toEqual([0, 0, 15, 15, 14]);
    const resp = await bf.set('u8', 4, 1).get('u16', 0).set('u16', 0, 0);
    const seen: number[] = [];
    for (const item of resp) seen.push(item as number);
    expect(seen).toEqual([15, 31, 31]);
  });

  it('increments with WRAP, SAT and FAIL, emitting OVERFLOW only when it changes', async () => {
    const bf = new BitField(t.db, 'incr');
    const op = bf.incrBy('u8', 8, 254).get('u16', 0).incrBy('u8', 8, 2, 'FAIL').incrBy('u8', 8, 1).incrBy('u8', 8, 1).get('u16', 0);
    expect(op.args.filter((a) => a === 'OVERFLOW')).toHaveLength(1);
    expect(await op.execute()).toEqual([254, 254, null, 255, null, 255]);
    expect(await bf.incrBy('u8', 8, 10, 'SAT').incrBy('u8', 8, 1, 'WRAP').execute()).toEqual([255, 0]);
    const same = bf.op().incrBy('i8', 0, 1, 'SAT').incrBy('i8', 0, 1, 'SAT').incrBy('i8', 0, 1, 'WRAP');
    expect(same.args.filter((a) => a === 'OVERFLOW')).toHaveLength(2);
    expect(await bf.incrBy('i8', 16, 127).incrBy('i8', 16, 1).execute()).toEqual([127, -128]);
  });

  it('addresses fields by #index, and returns bigints for fields wider than 53 bits', async () => {
    const bf = new BitField(t.db, 'wide');
    expect(await bf.set('u8', '#1', 200).get('u8', 8).get('u8', '#1').execute()).toEqual([0, 200, 200]);
    const big = (1n << 62n) + 12345n;
    expect(await bf.set('u63', 64, big).get('u63', 64).get('i64', 128).execute()).toEqual([0n, big, 0n]);
    expect(await bf.set('i64', 128, -(1n << 63n)).get('i64', 128).execute()).toEqual([0n, -(1n << 63n)]);
    expect(await bf.getBits(64, 127, { bigint: true })).toBe(big);
    expect(await bf.op().execute()).toEqual([]);
  });

  it('reads, writes and clears bit ranges as unsigned integers (Python slices)', async () => {
    const bf = new BitField(t.db, 'slices');
    expect(await bf.set('u8', 0, 166).execute()).toEqual([0]);
    expect(await bf.getBits(0, 8)).toBe(166);
    expect(await bf.getBits(0, 4)).toBe(10);
    expect(await bf.getBits(4, 8)).toBe(6);
    expect(await bf.getBits(2, 6)).toBe(9);
    expect(await bf.getBits(6, 10)).toBe(8);
    expect(await bf.getBits(8, 16)).toBe(0);
    await bf.setBits(0, 8, 89);
    expect(await bf.getBits(0, 8)).toBe(89);
    await bf.setBits(0, 8, 255);
    expect(await bf.getBits(0, 4)).toBe(15);
    await bf.clearBits(2, 6);
    expect(await bf.getBits(0, 8)).toBe(195);
  });

  it('refuses invalid types, offsets, ranges and values before writing anything', async () => {
    const bf = new BitField(t.db, 'invalid');
    const bad: (() => unknown)[] = [
      () => bf.get('u64', 0),
      () => bf.get('i65', 0),
      () => bf.get('x8' as never, 0),
      () => bf.get('u0' as never, 0),
      () => bf.get('u8', -1),
      () => bf.get('u8', 1.5),
      () => bf.get('u8', '#x' as never),
      () => bf.get('u8', 2 ** 32 - 4),
      () => bf.get('u8', `#${2 ** 29}`),
      () => bf.set('u8', 0, 256),
      () => bf.set('u8', 0, -1),
      () => bf.set('i8', 0, 128),
      () => bf.set('u8', 0, 1.5),
      () => bf.incrBy('u8', 0, 1, 'NOPE' as never),
      () => bf.incrBy('u8', 0, 1n << 63n),
    ];
    for (const f of bad) expect(f).toThrow(InvalidArgumentError);
    await expect(bf.setBits(0, 8, 256)).rejects.toThrow(InvalidArgumentError);
    await expect(bf.setBits(4, 4, 0)).rejects.toThrow(InvalidArgumentError);
    await expect(bf.setBits(0, 64, 0)).rejects.toThrow(InvalidArgumentError);
    await expect(bf.getBits(-1, 3)).rejects.toThrow(InvalidArgumentError);
    await expect(bf.getBits(0, 60)).rejects.toThrow(InvalidArgumentError);
    await expect(bf.getBit(2 ** 32)).rejects.toThrow(InvalidArgumentError);
    await expect(bf.setBit(0, 2 as never)).rejects.toThrow(InvalidArgumentError);
    const err = (() => {
      try {
        bf.get('u8', 2 ** 32);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ name: 'InvalidArgumentError', field: 'offset' });
    expect(await bf.exists()).toBe(false);
    // A builder that fails midway was never sent: earlier valid operations did not run either.
    const op = bf.op().set('u8', 0, 7);
    expect(() => op.set('u8', 8, 999)).toThrow(InvalidArgumentError);
    expect(await bf.exists()).toBe(false);
  });

  it('reads and writes single bits, counts set bits and reads/writes the raw bytes', async () => {
    const bf = new BitField(t.db, 'bits');
    expect(await bf.setBit(1, 1)).toBe(0);
    expect(await bf.setBit(1, 1)).toBe(1);
    expect(await bf.getBit(1)).toBe(1);
    expect(await bf.getBit(0)).toBe(0);
    expect(await bf.getRaw()).toEqual(Buffer.from([0x40]));
    await bf.setRaw(Buffer.from([0xff, 0x0f, 0x01]));
    expect(await bf.bitCount()).toBe(13);
    expect(await bf.bitCount({ start: 1 })).toBe(5);
    expect(await bf.bitCount({ start: 0, end: 0 })).toBe(8);
    expect(await bf.bitCount({ start: -1 })).toBe(1);
    if ((await t.db.server()).has('bitcountBit')) expect(await bf.bitCount({ start: 4, end: 11, unit: 'bit' })).toBe(4);
    expect(await new BitField(t.db, 'nothing').getRaw()).toBeUndefined();
  });

  it('raises WrongTypeError on a key of another type', async () => {
    await t.rawCommand(['SADD', t.key('set'), 'x'], t.key('set'));
    const bf = new BitField(t.db, 'set');
    await expect(bf.get('u8', 0).execute()).rejects.toMatchObject({ name: 'WrongTypeError', key: t.key('set'), expected: 'string', actual: 'set' });
    await expect(bf.setBit(0, 1)).rejects.toBeInstanceOf(WrongTypeError);
    await expect(bf.getRaw()).rejects.toBeInstanceOf(WrongTypeError);
  });
});
