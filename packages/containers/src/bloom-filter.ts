import { createHash } from 'node:crypto';
import { InvalidArgumentError, type Walrus } from '@walrus/core';
import { Container } from './container';
import { itemArg, type Item } from './item';

/** Options of {@link BloomFilter}. */
export interface BloomFilterOptions {
  /** Size of the bit array in bytes. Default 65536 (524,288 bits), as in the Python library. Never change it once items are in. */
  size?: number;
}

/** Bit positions probed per item. */
export const BLOOM_HASHES = 4;

/**
 * The four bit positions of an item, as the Python library computes them: the MD5 digest of the item's bytes
 * (UTF-8 for text) read as four big-endian unsigned 32-bit integers, each modulo the number of bits.
 */
export function bloomPositions(item: Item, bits: number): number[] {
  const digest = createHash('md5').update(itemArg(item)).digest();
  return [0, 4, 8, 12].map((o) => digest.readUInt32BE(o) % bits);
}

/**
 * A Bloom filter in one Redis string, compatible with the Python library's (same hashing, same default size):
 * `has` may answer a false positive, never a false negative. Items cannot be removed. Key: `db.key(name)`.
 *
 * @example
 * const bf = new BloomFilter(db, 'seen');
 * await bf.add('foo', 'bar');
 * await bf.has('foo'); // true
 * await bf.has('FOO'); // false (almost surely)
 */
export class BloomFilter extends Container {
  readonly redisType = 'string';
  /** Size of the bit array in bits. */
  readonly bits: number;

  /** A filter at `db.key(name)` of `o.size` bytes (default 65536). */
  constructor(db: Walrus, name: string, o: BloomFilterOptions = {}) {
    super(db, name);
    const size = o.size ?? 65536;
    if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 29) throw new InvalidArgumentError(`size must be a whole number of bytes in 1…2^29, got ${String(size)}`, { field: 'size', value: size });
    this.bits = size * 8;
  }

  /** Size of the bit array in bytes. */
  get size(): number {
    return this.bits / 8;
  }

  /**
   * Adds items in one BITFIELD (`SET u1 <pos> 1` four times per item) and resolves to how many of them were surely
   * new (had a clear bit before). No items: nothing is sent.
   */
  async add(...items: Item[]): Promise<number> {
    const positions = items.map((i) => bloomPositions(i, this.bits));
    if (positions.length === 0) return 0;
    const args = ['BITFIELD', this.key];
    for (const p of positions.flat()) args.push('SET', 'u1', String(p), '1');
    const old = await this.cmd<number[]>(args);
    let fresh = 0;
    for (let i = 0; i < old.length; i += BLOOM_HASHES) if (old.slice(i, i + BLOOM_HASHES).some((b) => b === 0)) fresh++;
    return fresh;
  }

  /** True when `item` may have been added; false when it surely was not. One BITFIELD_RO (`GET u1` four times). */
  async has(item: Item): Promise<boolean> {
    const args = ['BITFIELD_RO', this.key];
    for (const p of bloomPositions(item, this.bits)) args.push('GET', 'u1', String(p));
    return (await this.cmd<number[]>(args, { readonly: true })).every((b) => b === 1);
  }

  /** Alias of {@link BloomFilter.has} (the Python name). */
  contains(item: Item): Promise<boolean> {
    return this.has(item);
  }
}
