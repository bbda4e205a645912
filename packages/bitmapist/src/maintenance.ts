import { InvalidArgumentError, type Walrus } from '@walrus/core';
import { deleteKeys, invalidateBitops } from './bitop-scope';
import { PERIOD_SUFFIX, checkDb, escapeGlob, prefixPart, type KeyOptions } from './keys';

/** Options of {@link getEventNames}. */
export interface EventNamesOptions extends KeyOptions {
  /** Only names starting with this (`'task:'` finds `task:completed`, `task:created`). */
  prefix?: string;
  /** SCAN COUNT hint. Default 10000 (Py). */
  batch?: number;
}

/** The key prefix as SCAN sees it (handle prefix stripped): `{trackist}` or `trackist`. */
function scanPart(db: Walrus, o: KeyOptions): string {
  return prefixPart(db, o).slice(db.prefix.length);
}

function checkBatch(batch: unknown): number {
  if (batch === undefined) return 10_000;
  if (typeof batch !== 'number' || !Number.isInteger(batch) || batch < 1) throw new InvalidArgumentError('batch must be a positive integer', { field: 'batch', value: batch });
  return batch;
}

/**
 * The names of every event stored under the key prefix, sorted: `SCAN MATCH P_<prefix>*` on every master
 * (never KEYS), the `P_` and `_<period>` parts stripped, BitOp results left out.
 */
export async function getEventNames(db: Walrus, o: EventNamesOptions = {}): Promise<string[]> {
  checkDb(db);
  const prefix = o.prefix ?? '';
  if (typeof prefix !== 'string') throw new InvalidArgumentError('prefix must be a string', { field: 'prefix', value: prefix });
  const count = checkBatch(o.batch);
  const base = `${scanPart(db, o)}_`;
  const names = new Set<string>();
  for await (const key of db.scanKeys(`${escapeGlob(base + prefix)}*`, { count })) {
    const rest = key.slice(base.length);
    const period = PERIOD_SUFFIX.exec(rest);
    if (!period || period.index === 0) continue;
    const name = rest.slice(0, period.index);
    if (!name.startsWith('bitop_')) names.add(name);
  }
  return [...names].sort();
}

async function deleteMatching(db: Walrus, pattern: string, count: number): Promise<number> {
  invalidateBitops();
  let deleted = 0;
  let batch: string[] = [];
  for await (const key of db.scanKeys(pattern, { count })) {
    batch.push(db.prefix + key);
    if (batch.length >= 1000) {
      deleted += await deleteKeys(db, batch);
      batch = [];
    }
  }
  if (batch.length) deleted += await deleteKeys(db, batch);
  return deleted;
}

/**
 * Deletes every bitmapist key under the key prefix (`P_*`: all events and BitOp results; the IdMapper's
 * `P:idmap:*` stays). Destructive and irreversible. SCAN on every master, then DEL per slot. Resolves to the
 * number of keys deleted.
 */
export function deleteAllEvents(db: Walrus, o: KeyOptions & { batch?: number } = {}): Promise<number> {
  checkDb(db);
  return deleteMatching(db, `${escapeGlob(`${scanPart(db, o)}_`)}*`, checkBatch(o.batch));
}

/**
 * Deletes every BitOp result key under the key prefix (`P_bitop_*`), whoever made it. Prefer
 * `deleteRuntimeBitopKeys()`, which deletes only this scope's. Resolves to the number of keys deleted.
 */
export function deleteTemporaryBitopKeys(db: Walrus, o: KeyOptions & { batch?: number } = {}): Promise<number> {
  checkDb(db);
  return deleteMatching(db, `${escapeGlob(`${scanPart(db, o)}_bitop_`)}*`, checkBatch(o.batch));
}
