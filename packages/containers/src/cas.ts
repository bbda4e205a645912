import { InvalidArgumentError, Script, type Walrus } from '@walrus/core';
import { CAS } from './lua/cas';

const casScript = /* @__PURE__ */ new Script<number>('cas', CAS, { numKeys: 1 });

/** Options of {@link cas}. */
export interface CasOptions {
  /** `'prefix'` (default, as the Python library): the current value must start with `expected`; `'exact'`: equal it. */
  mode?: 'prefix' | 'exact';
  /** Keep the key's time to live (SET … KEEPTTL). Default false: like a plain SET, the write clears it. */
  keepTtl?: boolean;
}

function bytes(v: unknown, field: string): string | Buffer {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v;
  throw new InvalidArgumentError(`${field} must be a string or a Buffer, got ${typeof v}`, { field, value: v });
}

/**
 * Atomic compare-and-set on the string at `db.key(name)` (one Lua script): writes `next` and resolves to true when the
 * current value starts with `expected` (or equals it, with `mode: 'exact'`); false when it does not or the key is
 * missing. A key of another type raises WrongTypeError.
 *
 * @example
 * await cas(db, 'state', 'pending', 'running'); // true when the value started with 'pending'
 */
export async function cas(db: Walrus, name: string, expected: string | Buffer, next: string | Buffer, o: CasOptions = {}): Promise<boolean> {
  const mode = o.mode ?? 'prefix';
  if (mode !== 'prefix' && mode !== 'exact') throw new InvalidArgumentError(`mode must be 'prefix' or 'exact', got ${String(o.mode)}`, { field: 'mode', value: o.mode });
  const key = db.key(name);
  const r = await casScript.run(db, [key], [bytes(expected, 'expected'), bytes(next, 'next'), mode, o.keepTtl ? '1' : '0'], { types: { [key]: 'string' } });
  return Number(r) === 1;
}
