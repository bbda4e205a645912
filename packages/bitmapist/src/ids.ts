import { InvalidArgumentError } from '@walrus/core';

/** Largest id a bitmap holds: SETBIT offsets stop at 2³² − 1. */
export const MAX_ID = 2 ** 32 - 1;

/** Throws unless `id` is an integer in `[0, 2³²)`; string ids go through `IdMapper`. */
export function checkId(id: unknown, field = 'id'): number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID)
    throw new InvalidArgumentError(`${field} must be an integer from 0 to ${MAX_ID} (map string ids with IdMapper), got ${String(id)}`, { field, value: id });
  return id;
}

/** The ids whose bits are set in `bytes`, ascending; `firstByte` is the byte offset of `bytes[0]` in the bitmap. */
export function* bitsOf(bytes: Uint8Array, firstByte = 0): Generator<number> {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0) continue;
    const base = (firstByte + i) * 8;
    // Bit n of a Redis bitmap is byte n/8, mask 0x80 >> n%8 (most significant bit first).
    for (let bit = 0; bit < 8; bit++) if (b & (0x80 >> bit)) yield base + bit;
  }
}
