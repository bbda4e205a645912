import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, DecodeError, NotFoundError, Script, ScriptError, ValidationError, WrongTypeError, type Arg, type Reply, type Walrus } from '@walrus/core';
import { Tokenizer } from '@walrus/fts';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { ApplyCall, type Check, type Stored } from './apply-call';
import { ModelKeys, type KeyOptions } from './keys';
import { INVALID } from './kinds';
import { APPLY_LUA } from './lua/apply';
import { INCR_INDEXED_LUA } from './lua/incr-indexed';
import { normalizeSchema, type NormalizedSchema, type Schema, type ValueSpec } from './schema';

/** The apply script shared by every model. */
export const APPLY = new Script<Reply>('models.apply', APPLY_LUA);

/** Numeric increments with their index moves. */
const INCR_INDEXED = new Script<Reply>('models.incr-indexed', INCR_INDEXED_LUA);

/** Retries of an optimistic write after the first attempt (API C9). */
export const MAX_RETRIES = 5;

/** Encoded values of a record about to be stored: field → stored form, `null` = absent. */
export type Encoded = Map<string, string | Buffer | null>;

/** A short, safe rendering of a value for error messages. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null || v === undefined) return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : `Date(${v.toISOString()})`;
  if (Buffer.isBuffer(v)) return `Buffer(${v.length})`;
  if (typeof v === 'function') return 'a function';
  return Array.isArray(v) ? 'an array' : `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
}

/** The machinery of one model: key layout, checked schema, tokenizers, encoding and the atomic write loop. */
export class ModelRuntime {
  readonly keys: ModelKeys;
  readonly schema: NormalizedSchema;
  readonly #tokenizers = new Map<string, Tokenizer>();

  constructor(
    readonly db: Walrus,
    readonly name: string,
    schema: Schema,
    o: KeyOptions = {},
  ) {
    this.keys = new ModelKeys(db, name, o);
    this.schema = normalizeSchema(name, schema);
  }

  /** The tokenizer of a full-text field (made on first use). */
  tokenizer(spec: ValueSpec): Tokenizer {
    let t = this.#tokenizers.get(spec.name);
    if (!t) this.#tokenizers.set(spec.name, (t = new Tokenizer(spec.field.tokenizer)));
    return t;
  }

  /** A checked, normalised value of a field; `ValidationError` naming the field and the value otherwise. */
  validate(spec: ValueSpec, v: unknown): unknown {
    const out = spec.kind.validate(v);
    if (out === INVALID) throw new ValidationError(`${this.name}.${spec.name}: expected ${spec.kind.expected}, got ${show(v)}`, { field: spec.name, value: v });
    return out;
  }

  /** The stored form of a (non-null) value, validated. */
  encodeValue(spec: ValueSpec, v: unknown): string | Buffer {
    return spec.kind.encode(this.validate(spec, v));
  }

  /** The hash id of a primary key value. */
  hashIdOf(pk: unknown): string {
    const spec = this.schema.primaryKey;
    const text = spec.kind.keyText!(this.validate(spec, pk));
    // Record keys `<base>id.<pk>` share their start with the index keys of a field named `id`.
    const sep = this.keys.separator;
    if (this.schema.byName.has('id') && (text === 'continuous' || text === '_sequence' || text.startsWith(`absolute${sep}`) || text.startsWith(`fts${sep}`))) {
      throw new ValidationError(`${this.name}.${spec.name}: ${show(pk)} would collide with the index keys of the field "id"`, { field: spec.name, value: pk });
    }
    return this.keys.hashId(text);
  }

  /** The primary key read back from a hash id (for records whose hash lacks the field). */
  pkFromHashId(hashId: string): unknown {
    const prefix = this.keys.hashId('');
    const text = hashId.startsWith(prefix) ? hashId.slice(prefix.length) : hashId;
    const spec = this.schema.primaryKey;
    return spec.kind.scalar ? Number(text) : text;
  }

  /** A fresh value for a generated field (UUID primary keys) or `undefined`. */
  generate(spec: ValueSpec): string | undefined {
    if (spec.field.kind !== 'uuid' || !spec.field.primaryKey) return undefined;
    return spec.field.uuidVersion === 4 ? uuidv4() : uuidv7();
  }

  /** The default of a field, or `null`. */
  defaultOf(spec: ValueSpec): unknown {
    const d = spec.field.default;
    return d === undefined ? null : typeof d === 'function' ? (d as () => unknown)() : d;
  }

  /** Reads records by hash id with one pipelined HGETALL each; `null` for records that do not exist. */
  async readStored(hashIds: readonly string[]): Promise<(Stored | null)[]> {
    const binary = this.schema.binary;
    const replies = await Promise.all(hashIds.map((id) => this.db.command<Arg[]>(['HGETALL', this.keys.record(id)], { buffers: binary, type: 'hash' })));
    return replies.map((r) => this.storedFromPairs(r));
  }

  /** A stored record from a flat HGETALL reply (`null` when empty). */
  storedFromPairs(r: readonly (Arg | null)[]): Stored | null {
    if (!Array.isArray(r) || r.length === 0) return null;
    const out: Stored = new Map();
    for (let i = 0; i + 1 < r.length; i += 2) {
      const field = String(r[i]);
      const v = r[i + 1];
      if (v === null || v === undefined) continue;
      const spec = this.schema.byName.get(field);
      const binary = spec !== undefined && 'kind' in spec && spec.kind.binary;
      out.set(field, Buffer.isBuffer(v) && !binary ? v.toString('utf8') : v);
    }
    return out;
  }

  /** The field values of a stored record (absent fields take their default, else `null`). */
  decode(hashId: string, stored: Stored): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const spec of this.schema.values) {
      const raw = stored.get(spec.name);
      const empty = raw === undefined || (raw.length === 0 && spec.field.kind !== 'text' && spec.field.kind !== 'bytes');
      if (empty) {
        values[spec.name] = spec.field.primaryKey ? this.pkFromHashId(hashId) : this.defaultOf(spec);
        continue;
      }
      try {
        values[spec.name] = spec.kind.decode(raw);
      } catch (cause) {
        const key = this.keys.record(hashId);
        throw new DecodeError(`${this.name}.${spec.name} of "${key}": ${(cause as Error).message}`, { key, cause });
      }
    }
    return values;
  }

  /** The stored value of an indexed field in a snapshot, as the apply script checks it. */
  #old(snapshot: Stored | null | undefined, field: string): string | null {
    const v = snapshot?.get(field);
    return v === undefined ? null : typeof v === 'string' ? v : v.toString('utf8');
  }

  /** The fields whose stored values the index changes are computed from. */
  #checks(snapshot: Stored | null | undefined): Check[] {
    const fields = new Set([...this.schema.absolute, ...this.schema.continuous, ...this.schema.fts].map((s) => s.name));
    return [...fields].map((f) => [f, this.#old(snapshot, f)]);
  }

  #tokens(spec: ValueSpec, text: string | null): Map<string, number> {
    return text === null ? new Map() : this.tokenizer(spec).tokenize(text);
  }

  /** Adds the block that stores `encoded` as record `hashId` and moves its index entries from `snapshot`. */
  planSave(call: ApplyCall, hashId: string, snapshot: Stored | null | undefined, encoded: Encoded): void {
    const k = this.keys;
    const set: Arg[] = [];
    const del: Arg[] = [];
    for (const [f, v] of encoded) (v === null ? del : set).push(...(v === null ? [f] : [f, v]));
    const ops: Arg[] = ['H', String(set.length / 2), ...set, 'D', String(del.length), ...del, 'SA', call.key(k.all, 's')];
    const now = (f: string) => {
      const v = encoded.get(f);
      return v === undefined || v === null ? null : typeof v === 'string' ? v : v.toString('utf8');
    };
    for (const spec of this.schema.absolute) {
      const old = this.#old(snapshot, spec.name);
      const nw = now(spec.name);
      if (old !== null && old !== nw) ops.push('SR', call.key(k.absolute(spec.name, old), 's'));
      if (nw !== null) ops.push('SA', call.key(k.absolute(spec.name, nw), 's'));
    }
    for (const spec of this.schema.continuous) {
      const nw = now(spec.name);
      if (nw !== null) ops.push('ZA', call.key(k.continuous(spec.name), 'z'), nw);
      else if (this.#old(snapshot, spec.name) !== null) ops.push('ZR', call.key(k.continuous(spec.name), 'z'));
    }
    for (const spec of this.schema.fts) {
      const old = this.#old(snapshot, spec.name);
      const nw = now(spec.name);
      if (old === nw) continue;
      const before = this.#tokens(spec, old);
      const after = this.#tokens(spec, nw);
      for (const t of before.keys()) if (!after.has(t)) ops.push('ZR', call.key(k.fts(spec.name, t), 'z'));
      for (const [t, score] of after) ops.push('ZA', call.key(k.fts(spec.name, t), 'z'), String(-score));
    }
    call.block(k.record(hashId), hashId, this.#checks(snapshot), ops);
  }

  /** Adds the block that deletes record `hashId`, its index entries (as of `snapshot`) and its container keys. */
  planDelete(call: ApplyCall, hashId: string, snapshot: Stored | null | undefined): void {
    const k = this.keys;
    const ops: Arg[] = ['X', call.key(k.record(hashId), 'h'), 'SR', call.key(k.all, 's')];
    for (const spec of this.schema.absolute) {
      const old = this.#old(snapshot, spec.name);
      if (old !== null) ops.push('SR', call.key(k.absolute(spec.name, old), 's'));
    }
    for (const spec of this.schema.continuous) if (this.#old(snapshot, spec.name) !== null) ops.push('ZR', call.key(k.continuous(spec.name), 'z'));
    for (const spec of this.schema.fts) for (const t of this.#tokens(spec, this.#old(snapshot, spec.name)).keys()) ops.push('ZR', call.key(k.fts(spec.name, t), 'z'));
    for (const c of this.schema.containers) ops.push('X', call.key(this.db.key(k.containerName(c.name, hashId)), '-'));
    call.block(k.record(hashId), hashId, this.#checks(snapshot), ops);
  }

  /**
   * Adds `by` to a numeric field of record `hashId` (see `lua/incr-indexed.ts`): the script is given the stored value
   * the caller knows and the next few values concurrent increments by the same amount would produce, with their
   * index keys, so such increments never conflict. Other changes re-read the field and retry (C9).
   * Resolves to the new stored value. `known` = the stored value as last read (`null` absent, `undefined` unknown).
   */
  async incr(hashId: string, spec: ValueSpec, by: number, known: string | null | undefined): Promise<string> {
    const k = this.keys;
    const record = k.record(hashId);
    let stored = known === undefined ? await this.db.command<string | null>(['HGET', record, spec.name], { type: 'hash' }) : known;
    for (let attempt = 0; ; attempt++) {
      const width = Math.min(256, 4 * 4 ** attempt);
      const candidates: string[] = [stored ?? ''];
      const successors: string[] = [];
      let value = stored === null || stored === '' ? 0 : Number(spec.kind.decode(stored));
      for (let j = 0; j < width; j++) {
        value += by;
        successors.push(spec.kind.encode(this.validate(spec, value)) as string);
        if (j + 1 < width) candidates.push(successors[j]);
      }
      const indexed = spec.field.index;
      const keys = [record, indexed ? k.continuous(spec.name) : record];
      if (indexed) candidates.forEach((c, j) => keys.push(k.absolute(spec.name, c), k.absolute(spec.name, successors[j])));
      let reply: Reply[];
      try {
        reply = (await INCR_INDEXED.run(this.db, keys, [spec.name, hashId, indexed ? '1' : '0', candidates.length, ...candidates, ...successors])) as Reply[];
      } catch (err) {
        if (err instanceof ScriptError && err.reason === 'NOTFOUND') throw new NotFoundError(`${this.name} record "${record}" does not exist`, { key: record, cause: err });
        throw err;
      }
      if (reply[0] === 'OK') return String(reply[1]);
      if (attempt >= MAX_RETRIES) throw new ConflictError(record, { attempts: attempt + 1 });
      if (attempt === 0) stored = String(reply[1]);
      else {
        await sleep(Math.random() * 2 ** (attempt + 1));
        stored = await this.db.command<string | null>(['HGET', record, spec.name], { type: 'hash' });
      }
    }
  }

  /**
   * Runs one optimistic write: `plan` builds the apply call from the snapshots of `hashIds`; when the script reports
   * that a stored value changed, the records are read again and the write re-planned, up to {@link MAX_RETRIES}
   * times, then {@link ConflictError}. Resolves to the snapshots the successful write was planned from.
   */
  async write(hashIds: readonly string[], snapshots: (Stored | null | undefined)[], plan: (snapshots: (Stored | null | undefined)[]) => ApplyCall): Promise<(Stored | null | undefined)[]> {
    for (let attempt = 0; ; attempt++) {
      const call = plan(snapshots);
      let reply: Reply;
      try {
        reply = await APPLY.run(this.db, call.keys, call.args, { buffers: this.schema.binary });
      } catch (err) {
        if (err instanceof ScriptError && err.reason === 'WRONGTYPE') {
          const m = /(\d+) (\S+)\s*$/.exec(err.message);
          const key = m ? call.keys[Number(m[1]) - 1] : call.keys[0];
          const expected = ({ h: 'hash', s: 'set', z: 'zset' } as Record<string, string>)[call.typeOf(key)] ?? 'other';
          throw new WrongTypeError(key, expected, m?.[2] ?? 'unknown', { cause: err });
        }
        throw err;
      }
      if (!Array.isArray(reply)) return snapshots;
      // A checked value changed: the reply carries the conflicting record as it is now.
      const block = Number(String(reply[1])) - 1;
      if (attempt >= MAX_RETRIES) throw new ConflictError(this.keys.record(hashIds[block] ?? hashIds[0]), { attempts: attempt + 1 });
      // The first conflict is usually a stale read: re-plan from the record in the reply. Later ones mean
      // contention: wait a random while, then read afresh and retry at once.
      if (attempt === 0 && hashIds.length === 1) snapshots = [this.storedFromPairs(reply[3] as Arg[])];
      else {
        if (attempt > 0) await sleep(Math.random() * 2 ** (attempt + 1));
        snapshots = await this.readStored(hashIds);
      }
    }
  }
}
