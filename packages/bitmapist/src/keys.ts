import { InvalidArgumentError, type Walrus } from '@walrus/core';

/** Where bitmapist keys live: the key prefix (bitmapist's `trackist`) and the hash-tag policy. */
export interface KeyOptions {
  /** The first part of every key, `trackist` as in the Python library. Use several prefixes to shard over a cluster. */
  keyPrefix?: string;
  /**
   * Wrap the key prefix in `{}` so every key of the prefix shares one cluster slot (`{trackist}_active_2014-1`).
   * Default: the handle's `hashTag` (true). `false` gives the Python library's exact key names.
   */
  hashTag?: boolean;
}

/** bitmapist's key prefix. */
export const DEFAULT_KEY_PREFIX = 'trackist';

/** Throws unless `name` is a non-empty string. */
export function checkName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError(`${field} must be a non-empty string`, { field, value: name });
  return name;
}

/** Throws unless `db` looks like a @walrus handle. */
export function checkDb(db: unknown): Walrus {
  if (!db || typeof (db as Walrus).command !== 'function' || typeof (db as Walrus).transaction !== 'function')
    throw new InvalidArgumentError('the first argument must be a @walrus handle (connect() or fromClient())', { field: 'db', value: db });
  return db as Walrus;
}

/** The resolved key options: the prefix as it appears in keys (`{trackist}` or `trackist`). */
export function prefixPart(db: Walrus, o: KeyOptions = {}): string {
  const p = o.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof p !== 'string' || p === '') throw new InvalidArgumentError('keyPrefix must be a non-empty string', { field: 'keyPrefix', value: p });
  const tag = o.hashTag ?? db.hashTag;
  if (tag && /[{}]/.test(p)) throw new InvalidArgumentError('keyPrefix cannot hold braces when keys are hash-tagged', { field: 'keyPrefix', value: p });
  return db.prefix + (tag ? `{${p}}` : p);
}

/** `P_`: what every event key starts with, handle prefix included. */
export function eventBase(db: Walrus, o?: KeyOptions): string {
  return `${prefixPart(db, o)}_`;
}

/** Escapes SCAN MATCH glob characters. */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** Key suffixes of stored periods: hour, day, ISO week, month, unique. */
export const PERIOD_SUFFIX = /_(?:\d+-\d+-\d+-\d+|\d+-\d+-\d+|W\d+-\d+|\d+-\d+|u)$/;
