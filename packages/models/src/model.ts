import { InvalidArgumentError, MultipleResultsError, NotFoundError, type Walrus } from '@walrus/core';
import { ApplyCall, type Stored } from './apply-call';
import type { Expr } from './expression';
import { fieldRef, type FieldRef } from './field-ref';
import { ModelInstance, containerOf, type Instance } from './instance';
import type { KeyOptions } from './keys';
import { runQuery, type QueryOptions } from './query';
import { ModelRuntime } from './runtime';
import type { FieldsOf, Input, PrimaryKeyOf, Schema } from './schema';
import type { ValueField, FieldTraits } from './field';

/** Records per apply script when `queryDelete` removes many records. */
const DELETE_BATCH = 500;

/** The query handles of a model's value fields (`User.fields.dob`). */
export type FieldRefs<S extends Schema> = {
  readonly [K in keyof FieldsOf<S> as FieldsOf<S>[K] extends ValueField<unknown, FieldTraits> ? K : never]: FieldsOf<S>[K] extends ValueField<infer T, FieldTraits> ? FieldRef<T> : never;
};

/** Options of {@link defineModel}. */
export type ModelOptions = KeyOptions;

/** A model: typed records in hashes with secondary indexes. Made by {@link defineModel}. */
export interface Model<S extends Schema> {
  /** The model name. */
  readonly name: string;
  /** The query handles of the value fields: `User.fields.dob.le(date)`, `User.fields.name.asc()`. */
  readonly fields: FieldRefs<S>;
  /** Name of the primary key field (`_id` when the schema declares none). */
  readonly primaryKey: string;
  /** A new unsaved instance (values validated, defaults applied, UUID keys generated). No I/O. */
  build(d: Input<S>): Instance<S>;
  /** Builds and saves a record; an existing record with the same primary key is replaced and re-indexed. */
  create(d: Input<S>): Promise<Instance<S>>;
  /** The record with this primary key; `NotFoundError` when there is none. One HGETALL. */
  load(pk: PrimaryKeyOf<S>): Promise<Instance<S>>;
  /** The one record matching `where`; `NotFoundError` for none, `MultipleResultsError` for several. */
  get(where: Expr): Promise<Instance<S>>;
  /** Records matching `where` (all without), optionally sorted and paged. */
  query(o?: QueryOptions): Promise<Instance<S>[]>;
  /** Every record, by SSCAN of the `all` set in pages of `count` (order unspecified). */
  all(o?: { count?: number }): AsyncIterableIterator<Instance<S>>;
  /** The number of records matching `where` (all without). */
  count(where?: Expr): Promise<number>;
  /** Deletes the records matching `where` (all without) with their index entries and containers; resolves to how many. */
  queryDelete(where?: Expr): Promise<number>;
}

class ModelImpl<S extends Schema> implements Model<S> {
  readonly fields: FieldRefs<S>;
  readonly #rt: ModelRuntime;
  readonly #Instance: new (rt: ModelRuntime, values: Record<string, unknown>, snapshot: Stored | null | undefined, hashId?: string) => ModelInstance;

  constructor(rt: ModelRuntime) {
    this.#rt = rt;
    this.fields = Object.freeze(Object.fromEntries(rt.schema.values.map((spec) => [spec.name, fieldRef(rt, spec)]))) as unknown as FieldRefs<S>;
    class ModelRecord extends ModelInstance {}
    for (const c of rt.schema.containers) {
      Object.defineProperty(ModelRecord.prototype, c.name, {
        get(this: ModelInstance) {
          return containerOf(this, c.name);
        },
        enumerable: false,
        configurable: false,
      });
    }
    this.#Instance = ModelRecord;
  }

  get name(): string {
    return this.#rt.name;
  }

  get primaryKey(): string {
    return this.#rt.schema.primaryKey.name;
  }

  #make(hashId: string, stored: Stored): Instance<S> {
    return new this.#Instance(this.#rt, this.#rt.decode(hashId, stored), stored, hashId) as unknown as Instance<S>;
  }

  build(d: Input<S>): Instance<S> {
    const rt = this.#rt;
    if (d === null || typeof d !== 'object') throw new InvalidArgumentError(`${rt.name}.build takes an object of field values`, { value: d });
    const input = d as Record<string, unknown>;
    for (const name of Object.keys(input)) {
      const spec = rt.schema.byName.get(name);
      if (!spec) throw new InvalidArgumentError(`${rt.name} has no field "${name}"`, { field: name, value: input[name] });
      if (!('kind' in spec) && input[name] !== undefined) throw new InvalidArgumentError(`${rt.name}.${name} is a container field: fill it through the saved instance (instance.${name})`, { field: name });
    }
    const values: Record<string, unknown> = {};
    for (const spec of rt.schema.values) {
      const given = input[spec.name];
      const v = given === undefined ? (rt.generate(spec) ?? rt.defaultOf(spec)) : given;
      values[spec.name] = v === null ? null : rt.validate(spec, v);
    }
    return new this.#Instance(rt, values, undefined) as unknown as Instance<S>;
  }

  async create(d: Input<S>): Promise<Instance<S>> {
    const i = this.build(d);
    await i.save();
    return i;
  }

  async load(pk: PrimaryKeyOf<S>): Promise<Instance<S>> {
    const hashId = this.#rt.hashIdOf(pk);
    const [stored] = await this.#rt.readStored([hashId]);
    const key = this.#rt.keys.record(hashId);
    if (!stored) throw new NotFoundError(`${this.#rt.name} record "${key}" does not exist`, { key });
    return this.#make(hashId, stored);
  }

  async get(where: Expr): Promise<Instance<S>> {
    const { count, records } = await runQuery(this.#rt, { where, count: true, limit: 1 });
    if (count === 0 || records.length === 0) throw new NotFoundError(`no ${this.#rt.name} record matches the expression`);
    if (count > 1) throw new MultipleResultsError(count);
    return this.#make(...records[0]);
  }

  async query(o: QueryOptions = {}): Promise<Instance<S>[]> {
    if (o === null || typeof o !== 'object') throw new InvalidArgumentError(`${this.#rt.name}.query takes an options object`, { value: o });
    const { records } = await runQuery(this.#rt, o);
    return records.map(([id, stored]) => this.#make(id, stored));
  }

  async *all(o: { count?: number } = {}): AsyncIterableIterator<Instance<S>> {
    const count = o.count ?? 1000;
    if (!Number.isSafeInteger(count) || count < 1) throw new InvalidArgumentError('count must be a positive integer', { field: 'count', value: count });
    const rt = this.#rt;
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, ids] = await rt.db.command<[string, string[]]>(['SSCAN', rt.keys.all, cursor, 'COUNT', String(count)], { type: 'set' });
      cursor = String(next);
      const fresh = ids.map(String).filter((id) => !seen.has(id));
      for (const id of fresh) seen.add(id);
      const stored = await rt.readStored(fresh);
      for (let i = 0; i < fresh.length; i++) {
        const s = stored[i];
        if (s) yield this.#make(fresh[i], s);
      }
    } while (cursor !== '0');
  }

  async count(where?: Expr): Promise<number> {
    if (where === undefined) return Number(await this.#rt.db.command(['SCARD', this.#rt.keys.all], { type: 'set' }));
    return (await runQuery(this.#rt, { where, count: true, fetch: false })).count;
  }

  async queryDelete(where?: Expr): Promise<number> {
    const rt = this.#rt;
    const { records } = await runQuery(rt, { where });
    let deleted = 0;
    for (let i = 0; i < records.length; i += DELETE_BATCH) {
      const batch = records.slice(i, i + DELETE_BATCH);
      const ids = batch.map(([id]) => id);
      const used = await rt.write(
        ids,
        batch.map(([, s]) => s),
        (snaps) => {
          const call = new ApplyCall(rt.keys.all);
          ids.forEach((id, j) => rt.planDelete(call, id, snaps[j]));
          return call;
        },
      );
      deleted += used.filter((s) => s).length;
    }
    return deleted;
  }
}

/**
 * Defines a model: typed records stored in hashes (`<base>id.<pk>`), with absolute, continuous and full-text
 * indexes kept in step by one atomic script per write. No I/O until a method is called.
 *
 * ```ts
 * const User = defineModel(db, 'user', { name: text({ primaryKey: true }), dob: date({ index: true }) });
 * await User.create({ name: 'Charlie', dob: new Date('1983-01-01') });
 * await User.query({ where: User.fields.dob.le(new Date('2009-01-01')), orderBy: User.fields.name.asc() });
 * ```
 */
export function defineModel<const S extends Schema>(db: Walrus, name: string, schema: S, o: ModelOptions = {}): Model<S> {
  return new ModelImpl<S>(new ModelRuntime(db, name, schema, o));
}
