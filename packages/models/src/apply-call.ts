import type { Arg } from '@walrus/core';

/** The type a key must hold (checked before any write): hash, set, zset, or anything. */
export type KeyType = 'h' | 's' | 'z' | '-';

/** A stored record: field → stored value. */
export type Stored = Map<string, string | Buffer>;

/** A field check of the apply script: the stored value the write was computed from (`null` = absent). */
export type Check = [field: string, stored: string | null];

/**
 * Builds the KEYS and ARGV of one run of the apply script (see `lua/apply.ts`): keys are numbered in order of first
 * use, and each record contributes one block of checks and operations.
 */
export class ApplyCall {
  readonly keys: string[] = [];
  readonly #types: KeyType[] = [];
  readonly #index = new Map<string, number>();
  readonly #blocks: Arg[] = [];
  #count = 0;

  constructor(routingKey: string) {
    this.key(routingKey, 's');
  }

  /** The 1-based index of `key` in KEYS (added on first use). */
  key(key: string, type: KeyType): string {
    let i = this.#index.get(key);
    if (i === undefined) {
      this.keys.push(key);
      this.#types.push(type);
      i = this.keys.length;
      this.#index.set(key, i);
    }
    return String(i);
  }

  /** The type letter `key` was registered with. */
  typeOf(key: string): KeyType {
    const i = this.#index.get(key);
    return i === undefined ? '-' : this.#types[i - 1];
  }

  /** Adds one record's block: the checks run before any write of the call, the ops after all checks passed. */
  block(record: string, member: string, checks: Check[], ops: Arg[]): void {
    const rec = this.key(record, 'h');
    this.#blocks.push(rec, member, String(checks.length));
    for (const [field, stored] of checks) this.#blocks.push(field, stored === null ? '0' : '1', stored ?? '');
    this.#blocks.push(String(ops.length), ...ops);
    this.#count++;
  }

  /** Number of record blocks. */
  get size(): number {
    return this.#count;
  }

  /** ARGV of the call. */
  get args(): Arg[] {
    return [this.#types.join(''), String(this.#count), ...this.#blocks];
  }
}
