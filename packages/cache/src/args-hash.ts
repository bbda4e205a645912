import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@walrus/core';

/**
 * Canonical text of a wrapper's arguments: JSON with object keys sorted, plus explicit tokens for what JSON
 * cannot say (`undefined` in arrays, NaN, ±Infinity, bigint, Date, bytes), so two argument lists get one text
 * exactly when they are equal by value. Trailing `undefined` arguments are dropped (`f()` and `f(undefined)` are
 * one call, as JS default parameters treat them). Functions, symbols, Maps, Sets, class instances and cycles throw
 * {@link InvalidArgumentError}: pass a `key` function for those.
 */
export function canonicalArgs(args: readonly unknown[]): string {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return write(args.slice(0, end), new Set(), 'arguments');
}

/** SHA-1 (hex) of {@link canonicalArgs}: the `<argsHash>` part of wrapper keys. */
export function argsHash(args: readonly unknown[]): string {
  return createHash('sha1').update(canonicalArgs(args)).digest('hex');
}

function write(v: unknown, seen: Set<object>, path: string): string {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : String(v);
    case 'bigint':
      return `${v}n`;
    case 'undefined':
      return 'undefined';
    case 'function':
    case 'symbol':
      throw unhashable(path, typeof v);
  }
  if (v === null) return 'null';
  const obj = v as object;
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'NaN' : v.toISOString()})`;
  if (ArrayBuffer.isView(v)) return `Bytes(${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')})`;
  if (seen.has(obj)) throw new InvalidArgumentError(`${path} is circular and cannot be hashed into a cache key; pass a key function`, { field: path });
  seen.add(obj);
  try {
    if (Array.isArray(v)) return `[${v.map((x, i) => write(x, seen, `${path}[${i}]`)).join(',')}]`;
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (proto !== Object.prototype && proto !== null) throw unhashable(path, obj.constructor?.name || 'object');
    const record = obj as Record<string, unknown>;
    const parts = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${write(record[k], seen, `${path}.${k}`)}`);
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

function unhashable(path: string, what: string): InvalidArgumentError {
  return new InvalidArgumentError(`${path} (${what}) cannot be hashed into a cache key; pass a key function`, { field: path });
}
