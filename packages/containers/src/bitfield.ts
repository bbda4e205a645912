import { InvalidArgumentError, UnsupportedError, type Walrus } from '@walrus/core';
import { BitFieldOperation, MAX_BITS, type BitFieldOffset, type BitFieldResult, type BitFieldType, type Overflow } from './bitfield-operation';
import { Container } from './container';

/** Options of {@link BitField.bitCount}. */
export interface BitCountOptions {
  /** First byte (or bit, with `unit: 'bit'`) counted; negatives count from the end. */
  start?: number;
  /** Last byte (or bit) counted, inclusive as in BITCOUNT; default -1 (the end). */
  end?: number;
  /** Whether `start`/`end` count bytes (default) or bits (Redis 7+). */
  unit?: 'byte' | 'bit';
}

function checkRange(start: unknown, end: unknown): number {
  if (typeof start !== 'number' || !Number.isSafeInteger(start) || start < 0) throw new InvalidArgumentError(`start must be a non-negative integer bit offset, got ${String(start)}`, { field: 'start', value: start });
  if (typeof end !== 'number' || !Number.isSafeInteger(end) || end <= start || end > start + 63)
    throw new InvalidArgumentError(`end must be an integer with start < end <= start + 63, got ${String(end)} (start ${start})`, { field: 'end', value: end });
  if (end > MAX_BITS) throw new InvalidArgumentError(`bit range ${start}…${end} is out of range: it must end within 2^32 bits`, { field: 'end', value: end });
  return end - start;
}

function checkBit(offset: unknown): string {
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset >= MAX_BITS)
    throw new InvalidArgumentError(`bit offset must be an integer in 0…2^32-1, got ${String(offset)}`, { field: 'offset', value: offset });
  return String(offset);
}

/**
 * A Redis string used as a bitmap with random access: chainable BITFIELD operations (`op()`, or the `get`/`set`/
 * `incrBy` shortcuts), bit ranges read as unsigned integers (`getBits(2, 6)` is Python's `bf[2:6]`), single bits,
 * counts and the raw bytes. Key: `db.key(name)`.
 *
 * @example
 * const bf = new BitField(db, 'bf');
 * await bf.op().set('u8', 0, 166).get('u4', 0); // [0, 10]
 * await bf.getBits(4, 8); // 6 (0110)
 */
export class BitField extends Container {
  readonly redisType = 'string';

  /** A bitfield at `db.key(name)`. */
  constructor(db: Walrus, name: string) {
    super(db, name);
  }

  /** A new, empty BITFIELD builder on this key. */
  op(): BitFieldOperation {
    return new BitFieldOperation(this.db, this.key);
  }

  /** Starts a builder with a GET (Python `bf.get(fmt, offset)`). */
  get(type: BitFieldType, offset: BitFieldOffset): BitFieldOperation {
    return this.op().get(type, offset);
  }

  /** Starts a builder with a SET. */
  set(type: BitFieldType, offset: BitFieldOffset, value: number | bigint): BitFieldOperation {
    return this.op().set(type, offset, value);
  }

  /** Starts a builder with an INCRBY. */
  incrBy(type: BitFieldType, offset: BitFieldOffset, increment: number | bigint, overflow?: Overflow): BitFieldOperation {
    return this.op().incrBy(type, offset, increment, overflow);
  }

  /**
   * Bits `start` up to, not including, `end` as an unsigned integer (one BITFIELD_RO `GET u<n>`); `0 ≤ start < end ≤
   * start + 63`. Ranges wider than 53 bits need `{ bigint: true }` and resolve to a bigint.
   */
  getBits(start: number, end: number, o: { bigint: true }): Promise<bigint>;
  getBits(start: number, end: number, o?: { bigint?: false }): Promise<number>;
  async getBits(start: number, end: number, o: { bigint?: boolean } = {}): Promise<number | bigint> {
    const width = checkRange(start, end);
    if (width > 53 && !o.bigint) throw new InvalidArgumentError(`a ${width}-bit range may exceed 2^53: pass { bigint: true }`, { field: 'end', value: end });
    const [v] = (await this.op().get(`u${width}`, start).execute()) as [BitFieldResult];
    return o.bigint ? BigInt(v ?? 0) : Number(v ?? 0);
  }

  /** Writes `value` into bits `start` up to, not including, `end` (one BITFIELD `SET u<n>`); it must satisfy `0 ≤ value < 2^(end − start)`. */
  async setBits(start: number, end: number, value: number | bigint): Promise<void> {
    const width = checkRange(start, end);
    await this.op().set(`u${width}`, start, value).execute();
  }

  /** Clears bits `start` up to, not including, `end` (Python `del bf[start:end]`). */
  async clearBits(start: number, end: number): Promise<void> {
    await this.setBits(start, end, 0);
  }

  /** The bit at `offset` (GETBIT). */
  async getBit(offset: number): Promise<0 | 1> {
    return (await this.cmd<number>(['GETBIT', this.key, checkBit(offset)])) === 1 ? 1 : 0;
  }

  /** Sets the bit at `offset` (SETBIT) and resolves to its previous value. */
  async setBit(offset: number, bit: 0 | 1): Promise<0 | 1> {
    if (bit !== 0 && bit !== 1) throw new InvalidArgumentError(`a bit is 0 or 1, got ${String(bit)}`, { field: 'bit', value: bit });
    return (await this.cmd<number>(['SETBIT', this.key, checkBit(offset), String(bit)])) === 1 ? 1 : 0;
  }

  /** Number of set bits (BITCOUNT), optionally within an inclusive byte (or bit) range. */
  async bitCount(o: BitCountOptions = {}): Promise<number> {
    const args = ['BITCOUNT', this.key];
    const unit = o.unit ?? 'byte';
    if (unit !== 'byte' && unit !== 'bit') throw new InvalidArgumentError(`unit must be 'byte' or 'bit', got ${String(o.unit)}`, { field: 'unit', value: o.unit });
    if (o.start !== undefined || o.end !== undefined || o.unit !== undefined) {
      const [start, end] = [o.start ?? 0, o.end ?? -1];
      for (const [field, v] of [['start', start], ['end', end]] as const)
        if (!Number.isSafeInteger(v)) throw new InvalidArgumentError(`${field} must be an integer, got ${String(v)}`, { field, value: v });
      args.push(String(start), String(end));
      if (unit === 'bit') {
        if (!(await this.db.server()).has('bitcountBit')) throw new UnsupportedError('bitcountBit', 'BITCOUNT … BIT needs Redis 7.0 or later');
        args.push('BIT');
      }
    }
    return this.cmd<number>(args);
  }

  /** The raw bytes (GET), or `undefined` when the key does not exist. */
  async getRaw(): Promise<Buffer | undefined> {
    return (await this.cmd<Buffer | null>(['GET', this.key], { buffers: true })) ?? undefined;
  }

  /** Replaces the raw bytes (SET). */
  async setRaw(bytes: Buffer): Promise<void> {
    if (!Buffer.isBuffer(bytes)) throw new InvalidArgumentError('setRaw takes a Buffer', { field: 'bytes', value: bytes });
    await this.db.command(['SET', this.key, bytes], { key: this.key });
  }
}
