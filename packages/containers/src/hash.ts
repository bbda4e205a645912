import { InvalidArgumentError, type Arg } from '@walrus/core';
import { ValueContainer, assertFinite, assertInteger, fieldName, notAnInteger, parseScore } from './container';
import { scanWords, type ScanOptions } from './scan';

function assertField(f: unknown, field = 'field'): asserts f is string {
  if (typeof f !== 'string') throw new InvalidArgumentError(`hash fields are strings, got ${typeof f}`, { field, value: f });
}

/**
 * A Redis hash as a typed map of string fields to values: `get/set/has/delete/size/keys/values/entries`,
 * counters, and `for await` over its entries (HSCAN). Key: `db.key(name)`.
 *
 * @example
 * const h = new Hash(db, 'charlie');
 * await h.setMany({ name: 'Charlie', favorite_cat: 'Huey' });
 * await h.get('name'); // 'Charlie'
 */
export class Hash<V = string> extends ValueContainer<V> implements AsyncIterable<[string, V]> {
  readonly redisType = 'hash';

  /** The value of `field`, or `undefined` (HGET). */
  async get(field: string): Promise<V | undefined> {
    assertField(field);
    return this.decOpt(await this.cmd<string | Buffer | null>(['HGET', this.key, field], { buffers: this.buffers }));
  }

  /** The values of several fields, `undefined` where absent, in the order asked (HMGET). */
  async getMany(fields: readonly string[]): Promise<(V | undefined)[]> {
    fields.forEach((f) => assertField(f, 'fields'));
    if (fields.length === 0) return [];
    const r = await this.cmd<(string | Buffer | null)[]>(['HMGET', this.key, ...fields], { buffers: this.buffers });
    return r.map((v) => this.decOpt(v));
  }

  /** Sets one field (HSET); true when the field is new. */
  async set(field: string, value: V): Promise<boolean> {
    assertField(field);
    return (await this.cmd<number>(['HSET', this.key, field, this.enc(value)])) === 1;
  }

  /** Sets `field` only when it is absent (HSETNX); true when it was set. */
  async setIfAbsent(field: string, value: V): Promise<boolean> {
    assertField(field);
    return (await this.cmd<number>(['HSETNX', this.key, field, this.enc(value)])) === 1;
  }

  /** Sets several fields in one HSET (Python `update`); resolves to the number of new fields. An empty input sends nothing. */
  async setMany(data: Record<string, V> | Iterable<readonly [string, V]>): Promise<number> {
    const entries = Symbol.iterator in Object(data) ? [...(data as Iterable<readonly [string, V]>)] : Object.entries(data as Record<string, V>);
    const args: Arg[] = ['HSET', this.key];
    for (const [f, v] of entries) {
      assertField(f);
      args.push(f, this.enc(v));
    }
    if (entries.length === 0) return 0;
    return this.cmd<number>(args);
  }

  /** True when `field` exists (HEXISTS). */
  async has(field: string): Promise<boolean> {
    assertField(field);
    return (await this.cmd<number>(['HEXISTS', this.key, field])) === 1;
  }

  /** Deletes fields (HDEL); resolves to how many existed. No fields: nothing is sent. */
  async delete(...fields: string[]): Promise<number> {
    fields.forEach((f) => assertField(f, 'fields'));
    if (fields.length === 0) return 0;
    return this.cmd<number>(['HDEL', this.key, ...fields]);
  }

  /** Number of fields (HLEN). */
  size(): Promise<number> {
    return this.cmd<number>(['HLEN', this.key]);
  }

  /** Every field name (HKEYS). */
  async keys(): Promise<string[]> {
    return (await this.cmd<(string | Buffer)[]>(['HKEYS', this.key], { buffers: this.buffers })).map(fieldName);
  }

  /** Every value (HVALS). */
  async values(): Promise<V[]> {
    return (await this.cmd<(string | Buffer)[]>(['HVALS', this.key], { buffers: this.buffers })).map((v) => this.dec(v));
  }

  /** Every `[field, value]` pair (HGETALL). */
  async entries(): Promise<[string, V][]> {
    const r = await this.cmd<(string | Buffer)[]>(['HGETALL', this.key], { buffers: this.buffers });
    const out: [string, V][] = [];
    for (let i = 0; i + 1 < r.length; i += 2) out.push([fieldName(r[i]), this.dec(r[i + 1])]);
    return out;
  }

  /** The whole hash as a plain object (HGETALL; Python `as_dict`). */
  async toObject(): Promise<Record<string, V>> {
    return Object.fromEntries(await this.entries());
  }

  /** Adds an integer to a field (HINCRBY) and resolves to the new value. Non-integers are refused before sending. */
  async incr(field: string, by = 1): Promise<number> {
    assertField(field);
    assertInteger(by, 'by');
    try {
      return await this.cmd<number>(['HINCRBY', this.key, field, String(by)]);
    } catch (err) {
      throw notAnInteger(err, this.key, field);
    }
  }

  /** Adds a float to a field (HINCRBYFLOAT) and resolves to the new value. */
  async incrFloat(field: string, by: number): Promise<number> {
    assertField(field);
    assertFinite(by, 'by');
    try {
      return parseScore(await this.cmd<string>(['HINCRBYFLOAT', this.key, field, String(by)]));
    } catch (err) {
      throw notAnInteger(err, this.key, field);
    }
  }

  /**
   * Iterates `[field, value]` pairs with HSCAN, optionally only fields matching `match` (Python `search`).
   * SCAN guarantees: entries present for the whole iteration are seen at least once; order is unspecified.
   */
  async *scan(o: ScanOptions = {}): AsyncIterableIterator<[string, V]> {
    const words = scanWords(o);
    let cursor = '0';
    do {
      const [next, flat] = await this.cmd<[string, (string | Buffer)[]]>(['HSCAN', this.key, cursor, ...words], { buffers: this.buffers });
      cursor = fieldName(next);
      for (let i = 0; i + 1 < flat.length; i += 2) yield [fieldName(flat[i]), this.dec(flat[i + 1])];
    } while (cursor !== '0');
  }

  /** `for await (const [field, value] of hash)`: HSCAN over every entry. */
  [Symbol.asyncIterator](): AsyncIterator<[string, V]> {
    return this.scan();
  }
}
