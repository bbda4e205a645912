import { InvalidArgumentError, NotFoundError, Script, ScriptError, replyPairs, type Arg, type Reply } from '@walrus/core';
import { blockingCall, type Block } from './blocking';
import { lexBound, rangeWords, scoreBound, scoreValue, sliceRange, type Lex, type LexRangeOptions, type Range, type Score, type SliceOptions } from './bounds';
import { ValueContainer, assertCount, fieldName, parseScore } from './container';
import { ZSET_SLICE } from './lua/zset-slice';
import { multiKeyCommand } from './multi-key';
import { scanWords, type ScanOptions } from './scan';

const sliceScript = /* @__PURE__ */ new Script<Reply>('zset-slice', ZSET_SLICE, { numKeys: 1, readOnly: true });

/** Options of {@link ZSet.add}. */
export interface ZAddOptions {
  /** Only add new members, never update scores (NX). */
  nx?: boolean;
  /** Only update existing members, never add (XX). */
  xx?: boolean;
  /** Only update when the new score is greater (GT). */
  gt?: boolean;
  /** Only update when the new score is less (LT). */
  lt?: boolean;
  /** Count changed members (added or re-scored) instead of added ones (CH). */
  ch?: boolean;
}

/** How {@link ZSet.union} / {@link ZSet.intersect} combine scores. */
export interface CombineOptions {
  /** One multiplier per set, this set first. */
  weights?: number[];
  /** How scores of a member found in several sets combine. Default `'sum'`. */
  aggregate?: 'sum' | 'min' | 'max';
}

/** A slice bound of {@link ZSet.slice}: a rank (negatives from the end) or a member (its rank). */
export type RankBound<V> = number | { member: V };

type Raw = string | Buffer;

/**
 * A Redis sorted set: members with scores, read by rank (`slice`), score (`rangeByScore`) or lex (`rangeByLex`),
 * with counts, removals, pops (blocking ones on a dedicated connection) and weighted union/intersection. Key: `db.key(name)`.
 *
 * @example
 * const z = new ZSet(db, 'ages');
 * await z.add({ charlie: 31, huey: 3, mickey: 6, zaizee: 2.5 });
 * await z.slice(0, { member: 'mickey' }); // ['zaizee', 'huey']: younger than Mickey
 * await z.slice(-2, undefined, { withScores: true }); // [['mickey', 6], ['charlie', 31]]
 */
export class ZSet<V = string> extends ValueContainer<V> implements AsyncIterable<[V, number]> {
  readonly redisType = 'zset';

  #pairs(r: Reply): [V, number][] {
    return replyPairs<Raw>(r).map(([m, s]) => [this.dec(m), parseScore(s)]);
  }

  #members(r: Reply, withScores: boolean | undefined): V[] | [V, number][] {
    return withScores ? this.#pairs(r) : (r as Raw[]).map((m) => this.dec(m));
  }

  /**
   * Adds members with scores (ZADD) from `[member, score]` pairs (an array, a Map…) or, for string members, an object.
   * Resolves to the number added (changed, with `ch`). An empty input sends nothing.
   */
  async add(entries: Iterable<readonly [V, number]> | (V extends string ? Record<string, number> : never), o: ZAddOptions = {}): Promise<number> {
    const pairs: [V, number][] = Symbol.iterator in Object(entries) ? [...(entries as Iterable<[V, number]>)] : (Object.entries(entries) as [V, number][]);
    if (o.nx && (o.xx || o.gt || o.lt)) throw new InvalidArgumentError('nx cannot be combined with xx, gt or lt', { field: 'nx', value: o });
    if (o.gt && o.lt) throw new InvalidArgumentError('gt and lt cannot be combined', { field: 'gt', value: o });
    const args: Arg[] = ['ZADD', this.key];
    for (const [flag, word] of [['nx', 'NX'], ['xx', 'XX'], ['gt', 'GT'], ['lt', 'LT'], ['ch', 'CH']] as const) if (o[flag]) args.push(word);
    for (const [m, s] of pairs) args.push(scoreValue(s), this.enc(m));
    if (pairs.length === 0) return 0;
    return this.cmd<number>(args);
  }

  /** Sets one member's score (ZADD; Python `z[m] = score`); true when the member is new. */
  async set(member: V, score: number): Promise<boolean> {
    return (await this.cmd<number>(['ZADD', this.key, scoreValue(score), this.enc(member)])) === 1;
  }

  /** The score of `member`, or `undefined` (ZSCORE). */
  async score(member: V): Promise<number | undefined> {
    const r = await this.cmd<string | null>(['ZSCORE', this.key, this.enc(member)]);
    return r === null ? undefined : parseScore(r);
  }

  /** True when `member` is in the set (ZSCORE). */
  async has(member: V): Promise<boolean> {
    return (await this.score(member)) !== undefined;
  }

  /** The 0-based rank of `member` by ascending score (descending with `reverse`), or `undefined` (ZRANK/ZREVRANK). */
  async rank(member: V, o: { reverse?: boolean } = {}): Promise<number | undefined> {
    const r = await this.cmd<number | null>([o.reverse ? 'ZREVRANK' : 'ZRANK', this.key, this.enc(member)]);
    return r ?? undefined;
  }

  /** Removes members (ZREM); resolves to how many were present. No members: nothing is sent. */
  async delete(...members: V[]): Promise<number> {
    const args = members.map((m) => this.enc(m));
    if (args.length === 0) return 0;
    return this.cmd<number>(['ZREM', this.key, ...args]);
  }

  /** Number of members (ZCARD). */
  size(): Promise<number> {
    return this.cmd<number>(['ZCARD', this.key]);
  }

  /** Adds `by` to a member's score, adding the member when absent (ZINCRBY); resolves to the new score. */
  async incr(member: V, by = 1): Promise<number> {
    return parseScore(await this.cmd<string>(['ZINCRBY', this.key, scoreValue(by, 'by'), this.enc(member)]));
  }

  /** Number of members with a score between `min` and `max` (ZCOUNT). */
  count(min: Score, max: Score): Promise<number> {
    return this.cmd<number>(['ZCOUNT', this.key, scoreBound(min, 'min'), scoreBound(max, 'max')]);
  }

  /** Number of members between two lex bounds (ZLEXCOUNT; meaningful when all scores are equal). */
  lexCount(min: Lex, max: Lex): Promise<number> {
    return this.cmd<number>(['ZLEXCOUNT', this.key, lexBound(min, 'min'), lexBound(max, 'max')]);
  }

  /**
   * Members by rank from `start` up to, not including, `end`, as `Array.prototype.slice` counts them (negatives from
   * the end, `end === 0` empty). A bound may be `{ member }`, standing for that member's rank (NotFoundError when
   * absent; Python `z[:'mickey']`). One ZRANGE, or one read-only script when a bound is a member.
   */
  slice(start: RankBound<V> | undefined, end: RankBound<V> | undefined, o: SliceOptions & { withScores: true }): Promise<[V, number][]>;
  slice(start?: RankBound<V>, end?: RankBound<V>, o?: SliceOptions & { withScores?: false }): Promise<V[]>;
  slice(start?: RankBound<V>, end?: RankBound<V>, o?: SliceOptions): Promise<V[] | [V, number][]>;
  async slice(start?: RankBound<V>, end?: RankBound<V>, o: SliceOptions = {}): Promise<V[] | [V, number][]> {
    const isMember = (b: unknown): b is { member: V } => typeof b === 'object' && b !== null && 'member' in b;
    if (!isMember(start) && !isMember(end)) {
      const range = sliceRange(start, end);
      if (!range) return [];
      const r = await this.cmd<Reply>(['ZRANGE', this.key, ...range, ...rangeWords(o)], { buffers: this.buffers });
      return this.#members(r, o.withScores);
    }
    const bound = (b: RankBound<V> | undefined, field: string): [string, Arg] => {
      if (b === undefined) return ['n', ''];
      if (isMember(b)) return ['m', this.enc(b.member)];
      if (!Number.isSafeInteger(b)) throw new InvalidArgumentError(`${field} must be an integer index or { member }`, { field, value: b });
      return ['i', String(b)];
    };
    const args = [...bound(start, 'start'), ...bound(end, 'end'), o.reverse ? '1' : '0', o.withScores ? '1' : '0'];
    try {
      const r = await sliceScript.run(this.db, [this.key], args, { buffers: this.buffers, types: { [this.key]: 'zset' } });
      return this.#members(r, o.withScores);
    } catch (err) {
      if (err instanceof ScriptError && err.reason === 'NOTFOUND') throw new NotFoundError(`${err.message.replace(/^.*failed: /, '')} ("${this.key}")`, { key: this.key, cause: err });
      throw err;
    }
  }

  /**
   * Members with scores between `min` and `max` (ZRANGE … BYSCORE), lowest first or, with `reverse`, highest first
   * (bounds still `(min, max)`), optionally a `limit` window and scores.
   */
  rangeByScore(min: Score, max: Score, o: Range & { withScores: true }): Promise<[V, number][]>;
  rangeByScore(min: Score, max: Score, o?: Range & { withScores?: false }): Promise<V[]>;
  rangeByScore(min: Score, max: Score, o?: Range): Promise<V[] | [V, number][]>;
  async rangeByScore(min: Score, max: Score, o: Range = {}): Promise<V[] | [V, number][]> {
    const [lo, hi] = [scoreBound(min, 'min'), scoreBound(max, 'max')];
    const args = ['ZRANGE', this.key, ...(o.reverse ? [hi, lo] : [lo, hi]), ...rangeWords(o, 'BYSCORE')];
    return this.#members(await this.cmd<Reply>(args, { buffers: this.buffers }), o.withScores);
  }

  /** Members between two lex bounds (ZRANGE … BYLEX), with `reverse` and `limit` as {@link ZSet.rangeByScore}. */
  async rangeByLex(min: Lex, max: Lex, o: LexRangeOptions = {}): Promise<V[]> {
    const [lo, hi] = [lexBound(min, 'min'), lexBound(max, 'max')];
    const args = ['ZRANGE', this.key, ...(o.reverse ? [hi, lo] : [lo, hi]), ...rangeWords(o, 'BYLEX')];
    return (await this.cmd<Raw[]>(args, { buffers: this.buffers })).map((m) => this.dec(m));
  }

  /** Removes members by rank, `Array.prototype.slice`-style bounds (ZREMRANGEBYRANK); resolves to how many. */
  async removeByRank(start?: number, end?: number): Promise<number> {
    const range = sliceRange(start, end);
    if (!range) return 0;
    return this.cmd<number>(['ZREMRANGEBYRANK', this.key, ...range]);
  }

  /** Removes members with scores between `min` and `max` (ZREMRANGEBYSCORE); resolves to how many. */
  removeByScore(min: Score, max: Score): Promise<number> {
    return this.cmd<number>(['ZREMRANGEBYSCORE', this.key, scoreBound(min, 'min'), scoreBound(max, 'max')]);
  }

  /** Removes members between two lex bounds (ZREMRANGEBYLEX); resolves to how many. */
  removeByLex(min: Lex, max: Lex): Promise<number> {
    return this.cmd<number>(['ZREMRANGEBYLEX', this.key, lexBound(min, 'min'), lexBound(max, 'max')]);
  }

  async #pop(cmd: 'ZPOPMIN' | 'ZPOPMAX', n: number): Promise<[V, number][]> {
    assertCount(n, 'n');
    return this.#pairs(await this.cmd<Reply>([cmd, this.key, String(n)], { buffers: this.buffers }));
  }

  /** Removes and returns the `n` (default 1) lowest-scored members (ZPOPMIN); `[]` when empty. */
  popMin(n = 1): Promise<[V, number][]> {
    return this.#pop('ZPOPMIN', n);
  }

  /** Removes and returns the `n` (default 1) highest-scored members (ZPOPMAX); `[]` when empty. */
  popMax(n = 1): Promise<[V, number][]> {
    return this.#pop('ZPOPMAX', n);
  }

  async #blockingPop(cmd: 'BZPOPMIN' | 'BZPOPMAX', o: Block): Promise<[V, number] | undefined> {
    const { reply, blocked } = await blockingCall<Reply>(this.db, o, {
      blocking: (t) => [cmd, this.key, t],
      immediate: [cmd.slice(1), this.key],
      key: this.key,
      keys: [this.key],
      sources: [this.key],
      expected: 'zset',
      buffers: this.buffers,
    });
    if (!Array.isArray(reply) || reply.length === 0) return undefined;
    const [m, s] = blocked ? reply.slice(1) : this.#flat(reply);
    return [this.dec(m as Raw), parseScore(s as Raw)];
  }

  #flat(r: Reply[]): Reply[] {
    return Array.isArray(r[0]) ? (r[0] as Reply[]) : r;
  }

  /** Removes and returns the lowest-scored member, waiting for one (BZPOPMIN on a dedicated connection); `undefined` on timeout. */
  blockingPopMin(o: Block = {}): Promise<[V, number] | undefined> {
    return this.#blockingPop('BZPOPMIN', o);
  }

  /** Removes and returns the highest-scored member, waiting for one (BZPOPMAX on a dedicated connection); `undefined` on timeout. */
  blockingPopMax(o: Block = {}): Promise<[V, number] | undefined> {
    return this.#blockingPop('BZPOPMAX', o);
  }

  #keysOf(others: ZSet<V> | string | readonly (ZSet<V> | string)[]): string[] {
    const list = Array.isArray(others) ? others : [others];
    return [
      this.key,
      ...list.map((o: unknown) => {
        if (o instanceof ZSet) return o.key;
        if (typeof o === 'string') return this.db.key(o);
        throw new InvalidArgumentError('others must be sorted sets or their names', { field: 'others', value: o });
      }),
    ];
  }

  #combineWords(keys: string[], c: CombineOptions): string[] {
    const words: string[] = [];
    if (c.weights !== undefined) {
      if (!Array.isArray(c.weights) || c.weights.length !== keys.length)
        throw new InvalidArgumentError(`weights needs one number per set (${keys.length}), this set first`, { field: 'weights', value: c.weights });
      words.push('WEIGHTS', ...c.weights.map((w) => scoreValue(w, 'weights')));
    }
    if (c.aggregate !== undefined) {
      if (!['sum', 'min', 'max'].includes(c.aggregate)) throw new InvalidArgumentError(`aggregate must be 'sum', 'min' or 'max'`, { field: 'aggregate', value: c.aggregate });
      words.push('AGGREGATE', c.aggregate.toUpperCase());
    }
    return words;
  }

  async #combine(cmd: 'ZUNION' | 'ZINTER', others: ZSet<V> | string | readonly (ZSet<V> | string)[], c: CombineOptions): Promise<[V, number][]> {
    const keys = this.#keysOf(others);
    const args = [cmd, String(keys.length), ...keys, ...this.#combineWords(keys, c), 'WITHSCORES'];
    return this.#pairs(await multiKeyCommand<Reply>(this.db, args, { key: this.key, keys, sources: keys, expected: 'zset', buffers: this.buffers }));
  }

  async #combineStore(cmd: 'ZUNIONSTORE' | 'ZINTERSTORE', dest: ZSet<V> | string, others: ZSet<V> | string | readonly (ZSet<V> | string)[], c: CombineOptions): Promise<ZSet<V>> {
    const target = dest instanceof ZSet ? dest : new ZSet<V>(this.db, dest, { codec: this.codec });
    const sources = this.#keysOf(others);
    const args = [cmd, target.key, String(sources.length), ...sources, ...this.#combineWords(sources, c)];
    await multiKeyCommand<number>(this.db, args, { key: target.key, keys: [target.key, ...sources], sources, expected: 'zset' });
    return target;
  }

  /** `[member, score]` pairs of the union with `others` (ZUNION … WITHSCORES), scores weighted and aggregated. */
  union(others: ZSet<V> | string | readonly (ZSet<V> | string)[], c: CombineOptions = {}): Promise<[V, number][]> {
    return this.#combine('ZUNION', others, c);
  }

  /** `[member, score]` pairs of the intersection with `others` (ZINTER … WITHSCORES). */
  intersect(others: ZSet<V> | string | readonly (ZSet<V> | string)[], c: CombineOptions = {}): Promise<[V, number][]> {
    return this.#combine('ZINTER', others, c);
  }

  /** Stores the union in `dest` (a sorted set or a name; replaced) and returns it (ZUNIONSTORE). */
  unionStore(dest: ZSet<V> | string, others: ZSet<V> | string | readonly (ZSet<V> | string)[], c: CombineOptions = {}): Promise<ZSet<V>> {
    return this.#combineStore('ZUNIONSTORE', dest, others, c);
  }

  /** Stores the intersection in `dest` and returns it (ZINTERSTORE). */
  intersectStore(dest: ZSet<V> | string, others: ZSet<V> | string | readonly (ZSet<V> | string)[], c: CombineOptions = {}): Promise<ZSet<V>> {
    return this.#combineStore('ZINTERSTORE', dest, others, c);
  }

  /** Iterates `[member, score]` with ZSCAN, optionally only members matching `match` (Python `search`). Order is unspecified. */
  async *scan(o: ScanOptions = {}): AsyncIterableIterator<[V, number]> {
    const words = scanWords(o);
    let cursor = '0';
    do {
      const [next, flat] = await this.cmd<[Raw, Raw[]]>(['ZSCAN', this.key, cursor, ...words], { buffers: this.buffers });
      cursor = fieldName(next);
      for (let i = 0; i + 1 < flat.length; i += 2) yield [this.dec(flat[i]), parseScore(flat[i + 1])];
    } while (cursor !== '0');
  }

  /** `for await (const [member, score] of zset)`: ZSCAN over every member. */
  [Symbol.asyncIterator](): AsyncIterator<[V, number]> {
    return this.scan();
  }
}
