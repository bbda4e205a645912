import { InvalidArgumentError, NotFoundError, Script, ScriptError, ValidationError } from '@walrus/core';
import { Hash, List, RedisSet, ZSet } from '@walrus/containers';
import { ApplyCall, type Stored } from './apply-call';
import { INCR_LUA } from './lua/incr';
import type { Encoded, ModelRuntime } from './runtime';
import type { NumericKeys, Schema, ValueSpec, Values } from './schema';

const INCR = new Script<number>('models.incr', INCR_LUA);
const CONTAINERS = { hash: Hash, list: List, set: RedisSet, zset: ZSet } as const;

/** What every instance has besides its fields. */
export interface InstanceMethods<S extends Schema> {
  /** The Redis key of the record's hash (with the handle prefix). Throws before a generated key exists. */
  readonly $key: string;
  /**
   * Stores the record and every index change in one atomic script (optimistic: if the stored indexed values changed
   * since they were read, the record is read again and the write re-planned; after 5 retries `ConflictError`).
   * Missing autoIncrement values are taken from their counters first.
   */
  save(): Promise<void>;
  /** Deletes the record, its index entries and its container keys in one atomic script. */
  delete(): Promise<void>;
  /** Adds `by` (default 1) to an integer or float field in Redis, re-indexing it atomically; resolves to the new value. */
  incr(field: NumericKeys<S>, by?: number): Promise<number>;
  /** The record as stored (field → stored text; bytes as latin1), without null fields. */
  toHash(): Record<string, string>;
}

/** A record of a model: its fields (see {@link Values}) plus `$key`, `save`, `delete`, `incr` and `toHash`. */
export type Instance<S extends Schema> = Values<S> & InstanceMethods<S>;

/** @internal Private state of instances. */
interface State {
  rt: ModelRuntime;
  /** The stored record as last read or written; `null` = known absent, `undefined` = unknown. */
  snapshot: Stored | null | undefined;
  /** Hash id the snapshot belongs to. */
  hashId?: string;
  containers: Map<string, unknown>;
}

const STATE = new WeakMap<object, State>();

function state(i: object): State {
  const s = STATE.get(i);
  if (!s) throw new InvalidArgumentError('not a model instance');
  return s;
}

/** The runtime class of instances; each model derives one with getters for its container fields. */
export class ModelInstance {
  /** @internal */
  constructor(rt: ModelRuntime, values: Record<string, unknown>, snapshot: Stored | null | undefined, hashId?: string) {
    STATE.set(this, { rt, snapshot, hashId, containers: new Map() });
    Object.assign(this, values);
  }

  /** The record key (handle prefix included). */
  get $key(): string {
    const { rt } = state(this);
    return rt.keys.record(hashIdOf(this, rt));
  }

  /** See {@link InstanceMethods.save}. */
  async save(): Promise<void> {
    const s = state(this);
    const { rt } = s;
    const self = this as unknown as Record<string, unknown>;
    const encoded: Encoded = new Map();
    const pending: ValueSpec[] = [];
    for (const spec of rt.schema.values) {
      const v = self[spec.name];
      if (v === null || v === undefined) {
        if (spec.field.kind === 'autoIncrement') pending.push(spec);
        else if (spec.field.primaryKey) throw new ValidationError(`${rt.name}.${spec.name}: the primary key needs a value`, { field: spec.name, value: v });
        encoded.set(spec.name, null);
        continue;
      }
      const valid = rt.validate(spec, v);
      self[spec.name] = valid;
      encoded.set(spec.name, spec.kind.encode(valid));
    }
    if (s.hashId !== undefined && !pending.includes(rt.schema.primaryKey)) {
      const now = rt.hashIdOf(self[rt.schema.primaryKey.name]);
      if (now !== s.hashId) throw new InvalidArgumentError(`${rt.name}: the primary key of a stored record cannot change (was "${s.hashId}", now "${now}"); create a new record instead`, { field: rt.schema.primaryKey.name, value: self[rt.schema.primaryKey.name] });
    }
    // Validation passed: only now take values from the counters (INCR is a write).
    const taken = await Promise.all(pending.map((spec) => rt.db.command<number>(['INCR', rt.keys.sequence(spec.name)])));
    pending.forEach((spec, i) => {
      self[spec.name] = Number(taken[i]);
      encoded.set(spec.name, String(taken[i]));
    });
    const hashId = rt.hashIdOf(self[rt.schema.primaryKey.name]);
    await rt.write([hashId], [s.hashId === hashId ? s.snapshot : undefined], ([snap]) => {
      const call = new ApplyCall(rt.keys.all);
      rt.planSave(call, hashId, snap, encoded);
      return call;
    });
    s.hashId = hashId;
    s.snapshot = new Map([...encoded].filter((e): e is [string, string | Buffer] => e[1] !== null));
  }

  /** See {@link InstanceMethods.delete}. */
  async delete(): Promise<void> {
    const s = state(this);
    const { rt } = s;
    const pk = (this as unknown as Record<string, unknown>)[rt.schema.primaryKey.name];
    if (pk === null || pk === undefined) return;
    const hashId = rt.hashIdOf(pk);
    await rt.write([hashId], [s.hashId === hashId ? s.snapshot : undefined], ([snap]) => {
      const call = new ApplyCall(rt.keys.all);
      rt.planDelete(call, hashId, snap);
      return call;
    });
    s.hashId = hashId;
    s.snapshot = null;
    s.containers.clear();
  }

  /** See {@link InstanceMethods.incr}. */
  async incr(field: string, by = 1): Promise<number> {
    const s = state(this);
    const { rt } = s;
    const spec = rt.schema.byName.get(field);
    if (!spec || !('kind' in spec) || (spec.field.kind !== 'integer' && spec.field.kind !== 'float') || spec.field.primaryKey) {
      throw new InvalidArgumentError(`${rt.name}.incr: "${String(field)}" is not an integer or float field`, { field: String(field) });
    }
    const integer = spec.field.kind === 'integer';
    if (integer ? !Number.isSafeInteger(by) : typeof by !== 'number' || !Number.isFinite(by)) {
      throw new ValidationError(`${rt.name}.${field}: incr takes ${integer ? 'an integer' : 'a finite number'}, got ${String(by)}`, { field, value: by });
    }
    const hashId = hashIdOf(this, rt);
    const self = this as unknown as Record<string, unknown>;
    const key = rt.keys.record(hashId);
    if (integer && !spec.field.index) {
      try {
        const value = Number(await INCR.run(rt.db, [key], [field, by]));
        self[field] = value;
        if (s.hashId === hashId && s.snapshot) s.snapshot.set(field, String(value));
        return value;
      } catch (err) {
        if (err instanceof ScriptError && err.reason === 'NOTFOUND') throw new NotFoundError(`${rt.name} record "${key}" does not exist`, { key, cause: err });
        throw err;
      }
    }
    const known = s.hashId === hashId && s.snapshot ? (s.snapshot.get(field) as string | undefined) ?? null : undefined;
    const stored = await rt.incr(hashId, spec, by, known);
    const value = spec.kind.decode(stored) as number;
    self[field] = value;
    if (s.hashId === hashId && s.snapshot) s.snapshot.set(field, stored);
    return value;
  }

  /** See {@link InstanceMethods.toHash}. */
  toHash(): Record<string, string> {
    const { rt } = state(this);
    const self = this as unknown as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const spec of rt.schema.values) {
      const v = self[spec.name];
      if (v === null || v === undefined) continue;
      const stored = rt.encodeValue(spec, v);
      out[spec.name] = typeof stored === 'string' ? stored : stored.toString('latin1');
    }
    return out;
  }
}

function hashIdOf(i: object, rt: ModelRuntime): string {
  const pk = (i as Record<string, unknown>)[rt.schema.primaryKey.name];
  if (pk === null || pk === undefined) throw new InvalidArgumentError(`${rt.name}: the record has no primary key yet; save() it first`, { field: rt.schema.primaryKey.name });
  return rt.hashIdOf(pk);
}

/** The container bound to `field` of an instance (made on first access; needs the primary key). */
export function containerOf(i: object, field: string): unknown {
  const s = state(i);
  const { rt } = s;
  const hashId = hashIdOf(i, rt);
  const cacheKey = `${field}\u0000${hashId}`;
  let c = s.containers.get(cacheKey);
  if (!c) {
    const spec = rt.schema.containers.find((x) => x.name === field)!;
    const Ctor = CONTAINERS[spec.field.kind] as new (db: ModelRuntime['db'], name: string, o: { codec: unknown }) => unknown;
    c = new Ctor(rt.db, rt.keys.containerName(field, hashId), { codec: spec.field.codec });
    s.containers.set(cacheKey, c);
  }
  return c;
}

/** The snapshot state of an instance (tests and the model use it). @internal */
export function instanceState(i: object): State {
  return state(i);
}
