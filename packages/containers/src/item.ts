import { InvalidArgumentError, type Arg } from '@walrus/core';

/** A value probabilistic structures take: text (UTF-8), raw bytes, or a finite number (stored as its decimal text). */
export type Item = string | Buffer | number;

/** The bytes of an item as Redis (and the Python library) see them. */
export function itemArg(v: unknown, field = 'item'): Arg {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new InvalidArgumentError(`${field} must be a string, a Buffer or a finite number, got ${typeof v === 'number' ? v : typeof v}`, { field, value: v });
}
