import { InvalidArgumentError, type Arg, type Walrus } from '@walrus/core';
import { sendExact } from './exact-integers';

/** A BITFIELD integer type: `i1`…`i64` (signed) or `u1`…`u63` (unsigned). */
export type BitFieldType = `${'i' | 'u'}${number}`;

/** A bit offset, or `#n` for the n-th field of the type's width (offset n × width). */
export type BitFieldOffset = number | `#${number}`;

/** How INCRBY handles overflow: wrap around (Redis' default), saturate, or fail (the op returns `null`). */
export type Overflow = 'WRAP' | 'SAT' | 'FAIL';

/** The largest bit position + 1 Redis addresses in a string (512 MB). */
export const MAX_BITS = 2 ** 32;

interface Field {
  signed: boolean;
  width: number;
}

/** Parses and checks a BITFIELD type: `i1`…`i64`, `u1`…`u63`. */
export function parseType(type: unknown): Field {
  const m = typeof type === 'string' ? /^([iu])([1-9]\d?)$/.exec(type) : null;
  const width = m ? Number(m[2]) : 0;
  const signed = m?.[1] === 'i';
  if (!m || width > (signed ? 64 : 63))
    throw new InvalidArgumentError(`invalid BITFIELD type ${JSON.stringify(type)}: use i1…i64 or u1…u63`, { field: 'type', value: type });
  return { signed, width };
}

/** Checks an offset and returns its BITFIELD form; the field must end within Redis' 2^32 bits. */
export function offsetArg(offset: unknown, f: Field): string {
  let bit: number;
  if (typeof offset === 'string' && /^#\d+$/.test(offset)) bit = Number(offset.slice(1)) * f.width;
  else if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) bit = offset;
  else throw new InvalidArgumentError(`invalid bit offset ${JSON.stringify(offset)}: use a non-negative integer or '#n'`, { field: 'offset', value: offset });
  if (bit + f.width > MAX_BITS) throw new InvalidArgumentError(`bit offset ${String(offset)} is out of range: a field must end within 2^32 bits`, { field: 'offset', value: offset });
  return String(offset);
}

function toBig(v: unknown, field: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new InvalidArgumentError(`${field} must be an integer (a safe number or a bigint), got ${String(v)}`, { field, value: v });
}

/** Checks that `v` fits the field type and returns its decimal form. */
export function valueArg(v: unknown, f: Field, field = 'value'): string {
  if (typeof v === 'number' && Number.isSafeInteger(v) && f.width <= 52) {
    const [lo, hi] = f.signed ? [-(2 ** (f.width - 1)), 2 ** (f.width - 1) - 1] : [0, 2 ** f.width - 1];
    if (v >= lo && v <= hi) return String(v);
  }
  const big = toBig(v, field);
  const [lo, hi] = f.signed ? [-(1n << BigInt(f.width - 1)), (1n << BigInt(f.width - 1)) - 1n] : [0n, (1n << BigInt(f.width)) - 1n];
  if (big < lo || big > hi) throw new InvalidArgumentError(`${field} ${big} does not fit ${f.signed ? 'i' : 'u'}${f.width} (${lo}…${hi})`, { field, value: v });
  return big.toString();
}

const I64 = [-(1n << 63n), (1n << 63n) - 1n] as const;

/** A BITFIELD result: `number` for fields up to 53 bits wide, `bigint` for wider ones, `null` for a FAIL overflow. */
export type BitFieldResult = number | bigint | null;

/**
 * A chainable BITFIELD command: queue `get`, `set` and `incrBy` operations, then `execute()` (or `await` the
 * builder) to run them atomically in one command. Results come in operation order: fields up to 53 bits wide as
 * numbers, wider ones as bigints, failed `FAIL` increments as `null`. An `overflow` argument emits `OVERFLOW` only
 * when it differs from the previous one, and it holds for the rest of the command (as in the Python library).
 *
 * @example
 * await bf.op().set('u8', 8, 255).get('u8', 0).get('u4', 8); // [0, 0, 15]
 */
export class BitFieldOperation implements PromiseLike<BitFieldResult[]> {
  readonly #db: Walrus;
  readonly #key: string;
  readonly #args: Arg[] = [];
  readonly #widths: number[] = [];
  #overflow?: Overflow;
  #writes = false;

  /** A builder for the string at `key` (usually made by `BitField.op()`). */
  constructor(db: Walrus, key: string) {
    this.#db = db;
    this.#key = key;
  }

  /** Reads a field (`GET type offset`). */
  get(type: BitFieldType, offset: BitFieldOffset): this {
    const f = parseType(type);
    this.#args.push('GET', type, offsetArg(offset, f));
    this.#widths.push(f.width);
    return this;
  }

  /** Writes a field (`SET type offset value`); its result is the previous value. The value must fit the type. */
  set(type: BitFieldType, offset: BitFieldOffset, value: number | bigint): this {
    const f = parseType(type);
    this.#args.push('SET', type, offsetArg(offset, f), valueArg(value, f));
    this.#widths.push(f.width);
    this.#writes = true;
    return this;
  }

  /** Adds to a field (`INCRBY type offset increment`), with an optional overflow policy; its result is the new value. */
  incrBy(type: BitFieldType, offset: BitFieldOffset, increment: number | bigint, overflow?: Overflow): this {
    const f = parseType(type);
    const off = offsetArg(offset, f);
    const inc = toBig(increment, 'increment');
    if (inc < I64[0] || inc > I64[1]) throw new InvalidArgumentError(`increment ${inc} does not fit a signed 64-bit integer`, { field: 'increment', value: increment });
    if (overflow !== undefined) {
      if (overflow !== 'WRAP' && overflow !== 'SAT' && overflow !== 'FAIL') throw new InvalidArgumentError(`overflow must be 'WRAP', 'SAT' or 'FAIL', got ${String(overflow)}`, { field: 'overflow', value: overflow });
      if (overflow !== this.#overflow) this.#args.push('OVERFLOW', overflow);
      this.#overflow = overflow;
    }
    this.#args.push('INCRBY', type, off, inc.toString());
    this.#widths.push(f.width);
    this.#writes = true;
    return this;
  }

  /** The BITFIELD arguments queued so far (after the key). */
  get args(): readonly Arg[] {
    return this.#args;
  }

  /** Runs the queued operations in one BITFIELD (BITFIELD_RO when all are reads). No operations: nothing is sent. */
  async execute(): Promise<BitFieldResult[]> {
    if (this.#widths.length === 0) return [];
    const cmd = this.#writes ? 'BITFIELD' : 'BITFIELD_RO';
    const reply = await sendExact(this.#db, [cmd, this.#key, ...this.#args], this.#key, !this.#writes);
    return reply.map((v, i) => (v === null ? null : this.#widths[i] > 53 ? BigInt(v) : Number(v)));
  }

  /** Awaiting the builder executes it. */
  then<R1 = BitFieldResult[], R2 = never>(
    onfulfilled?: ((value: BitFieldResult[]) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.execute().then(onfulfilled, onrejected);
  }
}
