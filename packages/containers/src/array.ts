import { InvalidArgumentError, Script, type Reply } from '@walrus/core';
import { ValueContainer, assertInteger, pages } from './container';
import type { PageOptions } from './list';
import { ARRAY_AT } from './lua/array-at';
import { ARRAY_INDEX_OF } from './lua/array-index-of';
import { ARRAY_PUSH } from './lua/array-push';
import { ARRAY_REMOVE } from './lua/array-remove';
import { ARRAY_SET } from './lua/array-set';
import { ARRAY_SLICE } from './lua/array-slice';

type Raw = string | Buffer;
const atScript = /* @__PURE__ */ new Script<Raw | null>('array-at', ARRAY_AT, { numKeys: 1, readOnly: true });
const setScript = /* @__PURE__ */ new Script<[number, number]>('array-set', ARRAY_SET, { numKeys: 1 });
const pushScript = /* @__PURE__ */ new Script<number>('array-push', ARRAY_PUSH, { numKeys: 1 });
const removeScript = /* @__PURE__ */ new Script<Raw | null>('array-remove', ARRAY_REMOVE, { numKeys: 1 });
const indexOfScript = /* @__PURE__ */ new Script<number>('array-index-of', ARRAY_INDEX_OF, { numKeys: 1, readOnly: true });
const sliceScript = /* @__PURE__ */ new Script<Reply>('array-slice', ARRAY_SLICE, { numKeys: 1, readOnly: true });

/**
 * An array stored in a Redis hash whose fields are the indexes `"0".."n-1"` (the Python library's layout), with
 * O(1) `at`, `set`, `push` and `pop`; removing from the middle shifts the later elements (O(n)). Every write is
 * one Lua script; reads and iteration follow numeric index order. Key: `db.key(name)`.
 *
 * @example
 * const a = new RedisArray(db, 'arr');
 * await a.push('foo', 'bar', 'baz', 'nugget');
 * await a.set(-1, 'nize');
 * await a.removeAt(2); // 'baz'
 * await a.toArray(); // ['foo', 'bar', 'nize']
 */
export class RedisArray<V = string> extends ValueContainer<V> implements AsyncIterable<V> {
  readonly redisType = 'hash';

  #run<R>(s: Script<R>, args: (string | Buffer)[]): Promise<R> {
    return s.run(this.db, [this.key], args, { buffers: this.buffers, types: { [this.key]: 'hash' } });
  }

  /** The element at `index` (negative counts from the end), or `undefined`. HGET, or a read-only script for negative indexes. */
  async at(index: number): Promise<V | undefined> {
    assertInteger(index, 'index');
    if (index >= 0) return this.decOpt(await this.cmd<Raw | null>(['HGET', this.key, String(index)], { buffers: this.buffers }));
    return this.decOpt(await this.#run(atScript, [String(index)]));
  }

  /** Replaces the element at `index` (negative counts from the end). Outside the array: InvalidArgumentError, nothing written. */
  async set(index: number, value: V): Promise<void> {
    assertInteger(index, 'index');
    const [ok, length] = await this.#run(setScript, [String(index), this.enc(value)]);
    if (Number(ok) !== 1) throw new InvalidArgumentError(`index ${index} is outside array "${this.key}" of length ${length}`, { field: 'index', value: index });
  }

  /** Appends values and resolves to the new length (one script). With no values, reads the length (HLEN). */
  async push(...values: V[]): Promise<number> {
    const args = values.map((v) => this.enc(v));
    if (args.length === 0) return this.size();
    return this.#run(pushScript, args);
  }

  /** Removes and returns the last element, or `undefined` when empty (one script). */
  async pop(): Promise<V | undefined> {
    return this.decOpt(await this.#run(removeScript, ['']));
  }

  /** Removes the element at `index` (negative from the end), shifting later ones down, and returns it; `undefined` when out of range. */
  async removeAt(index: number): Promise<V | undefined> {
    assertInteger(index, 'index');
    return this.decOpt(await this.#run(removeScript, [String(index)]));
  }

  /** The first index holding `value`, or -1 (one read-only script, O(n)). */
  indexOf(value: V): Promise<number> {
    return this.#run(indexOfScript, [this.enc(value)]).then(Number);
  }

  /** True when some element equals `value` (Python `value in array`). */
  async includes(value: V): Promise<boolean> {
    return (await this.indexOf(value)) !== -1;
  }

  /** Number of elements (HLEN). */
  size(): Promise<number> {
    return this.cmd<number>(['HLEN', this.key]);
  }

  /** Elements from `start` up to, not including, `end`, as `Array.prototype.slice` counts them, in index order (one read-only script). */
  async slice(start = 0, end?: number): Promise<V[]> {
    assertInteger(start, 'start');
    if (end !== undefined) assertInteger(end, 'end');
    const r = (await this.#run(sliceScript, [String(start), end === undefined ? '' : String(end)])) as Raw[];
    return r.map((v) => this.dec(v));
  }

  /** Every element in index order. */
  toArray(): Promise<V[]> {
    return this.slice();
  }

  /** Iterates the elements in index order, `count` per page (default 1000). */
  async *iterate(o: PageOptions = {}): AsyncIterableIterator<V> {
    yield* pages((start, end) => this.slice(start, end), o.count);
  }

  /** `for await (const v of array)`: elements in index order, paged. */
  [Symbol.asyncIterator](): AsyncIterator<V> {
    return this.iterate();
  }
}
