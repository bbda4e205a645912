import type { Walrus } from '@walrus/core';

/** Options of {@link scanKeys}. */
export interface ScanKeysOptions {
  /** Hint for keys per SCAN call. Default 1000. */
  count?: number;
  /** Only keys of this Redis type (`hash`, `list`, `set`, `zset`, `string`, `stream`). */
  type?: string;
  /** Aborting ends the iteration. */
  signal?: AbortSignal;
}

/**
 * Iterates the names (prefix stripped) of the handle's keys matching a glob `pattern` with SCAN, on every master of a
 * cluster (Python `db.search(pattern)` / iterating the database). SCAN guarantees apply; order is unspecified.
 *
 * @example
 * for await (const name of scanKeys(db, 'user:*', { type: 'hash' })) console.log(name);
 */
export function scanKeys(db: Walrus, pattern = '*', o: ScanKeysOptions = {}): AsyncIterableIterator<string> {
  return db.scanKeys(pattern, o);
}
