import { InvalidArgumentError } from '@walrus/core';

/** Options of SCAN-based iteration. */
export interface ScanOptions {
  /** A glob-style pattern (`*`, `?`, `[ab]`) matched against stored field names / members. */
  match?: string;
  /** Hint for the number of elements per SCAN call. Default 1000. */
  count?: number;
}

/** The `MATCH`/`COUNT` words of an HSCAN/SSCAN/ZSCAN call. */
export function scanWords(o: ScanOptions): string[] {
  const words: string[] = [];
  if (o.match !== undefined) {
    if (typeof o.match !== 'string') throw new InvalidArgumentError('match must be a string pattern', { field: 'match', value: o.match });
    words.push('MATCH', o.match);
  }
  const count = o.count ?? 1000;
  if (!Number.isSafeInteger(count) || count < 1) throw new InvalidArgumentError(`count must be a positive integer, got ${count}`, { field: 'count', value: count });
  words.push('COUNT', String(count));
  return words;
}
