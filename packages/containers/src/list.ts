import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, Script, isReplyError, type Arg } from '@walrus/core';
import { blockingCall, sideWord, type Block, type Sides } from './blocking';
import { sliceRange } from './bounds';
import { ValueContainer, assertInteger, pages } from './container';
import { LIST_REMOVE_AT } from './lua/list-remove-at';
import { multiKeyCommand } from './multi-key';

const removeAt = /* @__PURE__ */ new Script<string | Buffer | null>('list-remove-at', LIST_REMOVE_AT, { numKeys: 1 });

/** Options of {@link List} iteration. */
export interface PageOptions {
  /** Elements read per LRANGE page. Default 1000. */
  count?: number;
}

/**
 * A Redis list as a typed async array: `at/set/slice/push/pop/shift/unshift`, inserts, removals, moves between
 * lists and blocking pops on a dedicated connection. Key: `db.key(name)`.
 *
 * @example
 * const l = new List(db, 'names');
 * await l.push('charlie', 'huey', 'mickey', 'zaizee');
 * await l.slice(0, 2); // ['charlie', 'huey']
 */
export class List<V = string> extends ValueContainer<V> implements AsyncIterable<V> {
  readonly redisType = 'list';

  /** The element at `index` (negative counts from the end), or `undefined` (LINDEX). */
  async at(index: number): Promise<V | undefined> {
    assertInteger(index, 'index');
    return this.decOpt(await this.cmd<string | Buffer | null>(['LINDEX', this.key, String(index)], { buffers: this.buffers }));
  }

  /** Replaces the element at `index` (LSET). An index outside the list throws InvalidArgumentError. */
  async set(index: number, value: V): Promise<void> {
    assertInteger(index, 'index');
    const v = this.enc(value);
    try {
      await this.cmd(['LSET', this.key, String(index), v]);
    } catch (err) {
      if (isReplyError(err, 'ERR index out of range') || isReplyError(err, 'ERR no such key'))
        throw new InvalidArgumentError(`index ${index} is outside list "${this.key}"`, { field: 'index', value: index, cause: err });
      throw err;
    }
  }

  /**
   * Elements from `start` up to, not including, `end`, as `Array.prototype.slice` counts them (negatives from the
   * end; `end === 0` is empty). One LRANGE.
   */
  async slice(start?: number, end?: number): Promise<V[]> {
    const range = sliceRange(start, end);
    if (!range) return [];
    const r = await this.cmd<(string | Buffer)[]>(['LRANGE', this.key, ...range], { buffers: this.buffers });
    return r.map((v) => this.dec(v));
  }

  /** Keeps only `slice(start, end)` and drops the rest (LTRIM); `end === 0` empties the list. */
  async trim(start?: number, end?: number): Promise<void> {
    const range = sliceRange(start, end) ?? ['1', '0'];
    await this.cmd(['LTRIM', this.key, ...range]);
  }

  /** Appends values (RPUSH) and resolves to the new length. With no values, reads the length (LLEN). */
  async push(...values: V[]): Promise<number> {
    const args = values.map((v) => this.enc(v));
    if (args.length === 0) return this.size();
    return this.cmd<number>(['RPUSH', this.key, ...args]);
  }

  /**
   * Prepends values so the list starts with them in argument order (`unshift('a', 'b')` gives `a, b, …`) and resolves
   * to the new length. One LPUSH (of the values reversed). With no values, reads the length (LLEN).
   */
  async unshift(...values: V[]): Promise<number> {
    const args = values.map((v) => this.enc(v)).reverse();
    if (args.length === 0) return this.size();
    return this.cmd<number>(['LPUSH', this.key, ...args]);
  }

  /** Removes and returns the last element (RPOP), or `undefined` when empty. */
  async pop(): Promise<V | undefined> {
    return this.decOpt(await this.cmd<string | Buffer | null>(['RPOP', this.key], { buffers: this.buffers }));
  }

  /** Removes and returns the first element (LPOP), or `undefined` when empty. */
  async shift(): Promise<V | undefined> {
    return this.decOpt(await this.cmd<string | Buffer | null>(['LPOP', this.key], { buffers: this.buffers }));
  }

  async #insert(where: 'BEFORE' | 'AFTER', pivot: V, value: V): Promise<number> {
    const r = await this.cmd<number>(['LINSERT', this.key, where, this.enc(pivot), this.enc(value)]);
    return r <= 0 ? -1 : r;
  }

  /** Inserts `value` before the first element equal to `pivot` (LINSERT); resolves to the new length, or -1 when `pivot` is absent. */
  insertBefore(pivot: V, value: V): Promise<number> {
    return this.#insert('BEFORE', pivot, value);
  }

  /** Inserts `value` after the first element equal to `pivot` (LINSERT); resolves to the new length, or -1 when `pivot` is absent. */
  insertAfter(pivot: V, value: V): Promise<number> {
    return this.#insert('AFTER', pivot, value);
  }

  /**
   * Removes elements equal to `value` (LREM): the first `count` from the head (default 1), `count < 0` from the tail,
   * `count: 0` all of them. Resolves to how many were removed.
   */
  async removeValue(value: V, o: { count?: number } = {}): Promise<number> {
    const count = o.count ?? 1;
    assertInteger(count, 'count');
    return this.cmd<number>(['LREM', this.key, String(count), this.enc(value)]);
  }

  /** Removes the element at `index` and returns it, or `undefined` when out of range. One Lua script (LSET marker, LREM marker). */
  async removeAt(index: number): Promise<V | undefined> {
    assertInteger(index, 'index');
    const r = await removeAt.run(this.db, [this.key], [String(index), `\u0000walrus.removed.${randomUUID()}`], { buffers: this.buffers, types: { [this.key]: 'list' } });
    return this.decOpt(r);
  }

  /** Number of elements (LLEN). */
  size(): Promise<number> {
    return this.cmd<number>(['LLEN', this.key]);
  }

  /** Every element (LRANGE 0 -1). */
  toArray(): Promise<V[]> {
    return this.slice();
  }

  #dest(dest: List<V> | string): List<V> {
    if (dest instanceof List) return dest;
    if (typeof dest === 'string') return new List<V>(this.db, dest, { codec: this.codec });
    throw new InvalidArgumentError('dest must be a List or a list name', { field: 'dest', value: dest });
  }

  /**
   * Moves one element to `dest` (LMOVE; default from the right end to the left end, as RPOPLPUSH) and returns it,
   * or `undefined` when this list is empty. On a cluster both lists must share a slot (`db.group(tag)`).
   */
  async move(dest: List<V> | string, o: Sides = {}): Promise<V | undefined> {
    const d = this.#dest(dest);
    const args = ['LMOVE', this.key, d.key, sideWord(o.from, 'from', 'right'), sideWord(o.to, 'to', 'left')];
    const r = await multiKeyCommand<string | Buffer | null>(this.db, args, { key: this.key, keys: [this.key, d.key], sources: [this.key, d.key], expected: 'list', buffers: this.buffers });
    return this.decOpt(r);
  }

  async #blockingPop(cmd: 'BRPOP' | 'BLPOP', o: Block): Promise<V | undefined> {
    const { reply, blocked } = await blockingCall<(string | Buffer)[] | string | Buffer | null>(this.db, o, {
      blocking: (t) => [cmd, this.key, t],
      immediate: [cmd === 'BRPOP' ? 'RPOP' : 'LPOP', this.key],
      key: this.key,
      keys: [this.key],
      sources: [this.key],
      expected: 'list',
      buffers: this.buffers,
    });
    if (reply === null) return undefined;
    return this.dec(blocked ? (reply as (string | Buffer)[])[1] : (reply as string | Buffer));
  }

  /** Removes and returns the last element, waiting for one (BRPOP on a dedicated connection); `undefined` on timeout. */
  blockingPop(o: Block = {}): Promise<V | undefined> {
    return this.#blockingPop('BRPOP', o);
  }

  /** Removes and returns the first element, waiting for one (BLPOP on a dedicated connection); `undefined` on timeout. */
  blockingShift(o: Block = {}): Promise<V | undefined> {
    return this.#blockingPop('BLPOP', o);
  }

  /** As {@link List.move}, waiting for an element (BLMOVE on a dedicated connection); `undefined` on timeout. */
  async blockingMove(dest: List<V> | string, o: Block & Sides = {}): Promise<V | undefined> {
    const d = this.#dest(dest);
    const sides = [sideWord(o.from, 'from', 'right'), sideWord(o.to, 'to', 'left')];
    const { reply } = await blockingCall<string | Buffer | null>(this.db, o, {
      blocking: (t) => ['BLMOVE', this.key, d.key, ...sides, t],
      immediate: ['LMOVE', this.key, d.key, ...sides],
      key: this.key,
      keys: [this.key, d.key],
      sources: [this.key, d.key],
      expected: 'list',
      buffers: this.buffers,
    });
    return this.decOpt(reply);
  }

  /** Iterates the elements head to tail in pages of `count` (LRANGE per page). */
  async *iterate(o: PageOptions = {}): AsyncIterableIterator<V> {
    yield* pages((start, end) => this.slice(start, end), o.count);
  }

  /** `for await (const v of list)`: paged LRANGE, head to tail. */
  [Symbol.asyncIterator](): AsyncIterator<V> {
    return this.iterate();
  }
}
