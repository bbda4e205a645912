import { InvalidArgumentError, type Arg } from '@walrus/core';
import { ValueContainer, assertCount, fieldName } from './container';
import { multiKeyCommand } from './multi-key';
import { scanWords, type ScanOptions } from './scan';

/**
 * A Redis set as a typed async set with set algebra: `add/delete/has/size/pop/random/values`, `union/intersect/diff`
 * and their `*Store` forms. Key: `db.key(name)`. On a cluster, set algebra needs the sets in one slot: make them
 * from one `db.group(tag)`.
 *
 * @example
 * const u = db.group('u');
 * const a = new RedisSet(u, 'a'), b = new RedisSet(u, 'b');
 * await a.add('1', '2', '3'); await b.add('2', '3', '4');
 * await a.intersect(b); // ['2', '3'] (any order)
 */
export class RedisSet<V = string> extends ValueContainer<V> implements AsyncIterable<V> {
  readonly redisType = 'set';

  /** Adds members (SADD); resolves to how many were new. No members: nothing is sent. */
  async add(...members: V[]): Promise<number> {
    const args = members.map((m) => this.enc(m));
    if (args.length === 0) return 0;
    return this.cmd<number>(['SADD', this.key, ...args]);
  }

  /** Removes members (SREM); resolves to how many were present. No members: nothing is sent. */
  async delete(...members: V[]): Promise<number> {
    const args = members.map((m) => this.enc(m));
    if (args.length === 0) return 0;
    return this.cmd<number>(['SREM', this.key, ...args]);
  }

  /** True when `member` is in the set (SISMEMBER). */
  async has(member: V): Promise<boolean> {
    return (await this.cmd<number>(['SISMEMBER', this.key, this.enc(member)])) === 1;
  }

  /** Number of members (SCARD). */
  size(): Promise<number> {
    return this.cmd<number>(['SCARD', this.key]);
  }

  /** Removes and returns a random member (SPOP), or `undefined` when empty. */
  pop(): Promise<V | undefined>;
  /** Removes and returns up to `n` random members (SPOP n). */
  pop(n: number): Promise<V[]>;
  async pop(n?: number): Promise<V | undefined | V[]> {
    if (n === undefined) return this.decOpt(await this.cmd<string | Buffer | null>(['SPOP', this.key], { buffers: this.buffers }));
    assertCount(n, 'n');
    return (await this.cmd<(string | Buffer)[]>(['SPOP', this.key, String(n)], { buffers: this.buffers })).map((v) => this.dec(v));
  }

  /** A random member, left in place (SRANDMEMBER), or `undefined` when empty. */
  random(): Promise<V | undefined>;
  /** Up to `n` distinct random members (SRANDMEMBER n). */
  random(n: number): Promise<V[]>;
  async random(n?: number): Promise<V | undefined | V[]> {
    if (n === undefined) return this.decOpt(await this.cmd<string | Buffer | null>(['SRANDMEMBER', this.key], { buffers: this.buffers }));
    assertCount(n, 'n');
    return (await this.cmd<(string | Buffer)[]>(['SRANDMEMBER', this.key, String(n)], { buffers: this.buffers })).map((v) => this.dec(v));
  }

  /** Every member (SMEMBERS; Python `members()`). */
  async values(): Promise<V[]> {
    return (await this.cmd<(string | Buffer)[]>(['SMEMBERS', this.key], { buffers: this.buffers })).map((v) => this.dec(v));
  }

  #keyOf(s: RedisSet<V> | string, field: string): string {
    if (s instanceof RedisSet) return s.key;
    if (typeof s === 'string') return this.db.key(s);
    throw new InvalidArgumentError(`${field} must be a RedisSet or a set name`, { field, value: s });
  }

  async #algebra(cmd: 'SUNION' | 'SINTER' | 'SDIFF', others: (RedisSet<V> | string)[]): Promise<V[]> {
    const keys = [this.key, ...others.map((o) => this.#keyOf(o, 'others'))];
    const r = await multiKeyCommand<(string | Buffer)[]>(this.db, [cmd, ...keys], { key: this.key, keys, sources: keys, expected: 'set', buffers: this.buffers });
    return r.map((v) => this.dec(v));
  }

  async #store(cmd: 'SUNIONSTORE' | 'SINTERSTORE' | 'SDIFFSTORE', dest: RedisSet<V> | string, others: (RedisSet<V> | string)[]): Promise<RedisSet<V>> {
    const target = dest instanceof RedisSet ? dest : new RedisSet<V>(this.db, dest, { codec: this.codec });
    const sources = [this.key, ...others.map((o) => this.#keyOf(o, 'others'))];
    const keys = [target.key, ...sources];
    await multiKeyCommand<number>(this.db, [cmd, ...keys] as Arg[], { key: target.key, keys, sources, expected: 'set' });
    return target;
  }

  /** Members of this set or any of `others` (SUNION; Python `s1 | s2`). */
  union(...others: (RedisSet<V> | string)[]): Promise<V[]> {
    return this.#algebra('SUNION', others);
  }

  /** Members of this set found in every one of `others` (SINTER; Python `s1 & s2`). */
  intersect(...others: (RedisSet<V> | string)[]): Promise<V[]> {
    return this.#algebra('SINTER', others);
  }

  /** Members of this set found in none of `others` (SDIFF; Python `s1 - s2`). */
  diff(...others: (RedisSet<V> | string)[]): Promise<V[]> {
    return this.#algebra('SDIFF', others);
  }

  /** Stores the union in `dest` (a set or a name; replaced) and returns it (SUNIONSTORE). */
  unionStore(dest: RedisSet<V> | string, ...others: (RedisSet<V> | string)[]): Promise<RedisSet<V>> {
    return this.#store('SUNIONSTORE', dest, others);
  }

  /** Stores the intersection in `dest` and returns it (SINTERSTORE). */
  intersectStore(dest: RedisSet<V> | string, ...others: (RedisSet<V> | string)[]): Promise<RedisSet<V>> {
    return this.#store('SINTERSTORE', dest, others);
  }

  /** Stores the difference in `dest` and returns it (SDIFFSTORE; `s.diffStore(s, t)` is Python's `s -= t`). */
  diffStore(dest: RedisSet<V> | string, ...others: (RedisSet<V> | string)[]): Promise<RedisSet<V>> {
    return this.#store('SDIFFSTORE', dest, others);
  }

  /** Iterates members with SSCAN, optionally only those matching `match` (Python `search`). Order is unspecified. */
  async *scan(o: ScanOptions = {}): AsyncIterableIterator<V> {
    const words = scanWords(o);
    let cursor = '0';
    do {
      const [next, members] = await this.cmd<[string, (string | Buffer)[]]>(['SSCAN', this.key, cursor, ...words], { buffers: this.buffers });
      cursor = fieldName(next);
      for (const m of members) yield this.dec(m);
    } while (cursor !== '0');
  }

  /** `for await (const member of set)`: SSCAN over every member. */
  [Symbol.asyncIterator](): AsyncIterator<V> {
    return this.scan();
  }
}
