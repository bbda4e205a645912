import { InvalidArgumentError, toMs, type Duration, type Walrus } from '@walrus/core';

/** Lifetime of BITOP result keys when none was set for a handle: 60 s. */
export const DEFAULT_BITOP_TTL_MS = 60_000;

const ttls = new WeakMap<Walrus, number | null>();

/**
 * Sets how long BITOP result keys made through `db` live (PEXPIRE, a safety net for keys nobody deletes).
 * `null` keeps them until deleted, as the Python library did. Default `'60s'`. A BitOp read after half the TTL
 * is computed again, so a result never expires under a reader.
 */
export function setBitopTtl(db: Walrus, ttl: Duration | null): void {
  if (ttl === null) {
    ttls.set(db, null);
    return;
  }
  const ms = toMs(ttl, 'ttl');
  if (ms < 1 || !Number.isFinite(ms)) throw new InvalidArgumentError('ttl must be at least 1 ms and finite (null keeps keys forever)', { field: 'ttl', value: ttl });
  ttls.set(db, Math.ceil(ms));
}

/** The BITOP result TTL of a handle in milliseconds, `null` for none. */
export function getBitopTtl(db: Walrus): number | null {
  const t = ttls.get(db);
  return t === undefined ? DEFAULT_BITOP_TTL_MS : t;
}
