import { stringCodec, type Codec } from '@walrus/core';
import type { Hash, List, RedisSet, ZSet } from '@walrus/containers';
import type { TokenizerOptions } from '@walrus/fts';
import type { ContainerKind, ValueKind } from './kinds';

/** Options every value field takes. */
export interface FieldOptions<T> {
  /** This field identifies the record (its value is part of the record key). One per model; implies `index`. */
  primaryKey?: boolean;
  /** Keep a secondary index: equality (`eq`/`ne`) for every kind, plus ranges for numbers and dates. */
  index?: boolean;
  /** The value of a field not given to `build`/`create` (a function is called for each record). */
  default?: T | (() => T);
}

/** Options of {@link text}: a text field can also have a full-text index. */
export type TextOptions = FieldOptions<string> & TokenizerOptions & {
  /** Keep a full-text index of the words of the field (`match` and `search` expressions). */
  fts?: boolean;
};

/** Options of {@link uuid}. */
export type UuidOptions = FieldOptions<string> & {
  /** Which UUID a primary key gets when none is given: 7 (time-ordered, the default) or 4 (random). */
  version?: 4 | 7;
};

/** Type-level facts about a value field, read by {@link Values} and {@link Input}. */
export interface FieldTraits {
  /** Instances always hold a value (primary keys, fields with a default, generated fields). */
  nonNull: boolean;
  /** `build`/`create` need a value (primary keys that are neither generated nor defaulted). */
  required: boolean;
  /** The field is the primary key. */
  primaryKey: boolean;
  /** `incr` works on it (integer and float fields that are not the primary key). */
  numeric: boolean;
}

/** A field holding one value in the record's hash. `T` is its type in instances. */
export interface ValueField<T = unknown, Tr extends FieldTraits = FieldTraits> {
  /** The kind of value (storage format and index types follow from it). */
  readonly kind: ValueKind;
  /** Whether the field is the primary key. */
  readonly primaryKey: boolean;
  /** Whether the field has an absolute index (and a continuous one for numbers and dates). */
  readonly index: boolean;
  /** Whether the field has a full-text index (text fields). */
  readonly fts: boolean;
  /** The default value or a function making it. */
  readonly default: T | (() => T) | undefined;
  /** Tokenizer options of a full-text index. */
  readonly tokenizer?: TokenizerOptions;
  /** UUID version generated for a primary key. */
  readonly uuidVersion?: 4 | 7;
  /** @internal Type carrier, never set. */
  readonly '~value'?: T;
  /** @internal Type carrier, never set. */
  readonly '~traits'?: Tr;
}

/** A field bound to a Redis container stored beside the record (`container.<field>.<record key>`). */
export interface ContainerField<C = unknown> {
  /** The container type. */
  readonly kind: ContainerKind;
  /** How container values are stored. */
  readonly codec: Codec<unknown>;
  /** @internal Type carrier, never set. */
  readonly '~container'?: C;
}

/** Any field of a schema. */
export type AnyField = ValueField<unknown, FieldTraits> | ContainerField<unknown>;

type IsTrue<B> = B extends true ? true : false;
type HasDefault<O> = O extends { default: infer D } ? ([D] extends [undefined] ? false : true) : false;
type Or<A extends boolean, B extends boolean> = A extends true ? true : B;

/** Traits of a field made with options `O`; `G` = the kind generates missing primary keys. */
export type TraitsOf<O, G extends boolean, N extends boolean> = {
  nonNull: Or<IsTrue<O extends { primaryKey: infer P } ? P : false>, HasDefault<O>>;
  required: IsTrue<O extends { primaryKey: infer P } ? P : false> extends true ? (Or<G, HasDefault<O>> extends true ? false : true) : false;
  primaryKey: IsTrue<O extends { primaryKey: infer P } ? P : false>;
  numeric: IsTrue<O extends { primaryKey: infer P } ? P : false> extends true ? false : N;
};

function valueField<T>(kind: ValueKind, o: FieldOptions<T> & { fts?: boolean } = {}, extra: Partial<ValueField<T>> = {}): ValueField<T> {
  return Object.freeze({ kind, primaryKey: o.primaryKey === true, index: o.index === true || o.primaryKey === true, fts: o.fts === true, default: o.default, ...extra });
}

/** A UTF-8 string; `fts: true` adds a full-text index (tokenizer options as in `@walrus/fts`). */
export function text<const O extends TextOptions = {}>(o?: O): ValueField<string, TraitsOf<O, false, false>> {
  const { primaryKey, index, default: d, fts, ...tokenizer } = o ?? ({} as TextOptions);
  return valueField<string>('text', { primaryKey, index, default: d, fts }, fts ? { tokenizer } : {}) as ValueField<string, TraitsOf<O, false, false>>;
}

/** A safe integer, stored in decimal; ranges and numeric order with `index`. */
export function integer<const O extends FieldOptions<number> = {}>(o?: O): ValueField<number, TraitsOf<O, false, true>> {
  return valueField<number>('integer', o) as ValueField<number, TraitsOf<O, false, true>>;
}

/**
 * An integer taken from a per-field counter (`<field>._sequence`) when a record is saved without one. The implicit
 * primary key `_id` of a schema without one is `autoIncrement({ primaryKey: true })`.
 */
export function autoIncrement<const O extends Omit<FieldOptions<number>, 'default'> = {}>(o?: O): ValueField<number, { nonNull: true; required: false; primaryKey: TraitsOf<O, true, false>['primaryKey']; numeric: false }> {
  return valueField<number>('autoIncrement', o) as ValueField<number, { nonNull: true; required: false; primaryKey: TraitsOf<O, true, false>['primaryKey']; numeric: false }>;
}

/** A finite float, stored as Python's `repr` (`3.0`, `1e+16`). */
export function float<const O extends Omit<FieldOptions<number>, 'primaryKey'> = {}>(o?: O): ValueField<number, TraitsOf<O, false, true>> {
  return valueField<number>('float', o) as ValueField<number, TraitsOf<O, false, true>>;
}

/** Raw bytes (a Buffer); cannot be indexed. */
export function bytes<const O extends Omit<FieldOptions<Buffer>, 'primaryKey' | 'index'> = {}>(o?: O): ValueField<Buffer, TraitsOf<O, false, false>> {
  return valueField<Buffer>('bytes', o) as ValueField<Buffer, TraitsOf<O, false, false>>;
}

/** A boolean, stored as `1`/`0`. */
export function boolean<const O extends Omit<FieldOptions<boolean>, 'primaryKey'> = {}>(o?: O): ValueField<boolean, TraitsOf<O, false, false>> {
  return valueField<boolean>('boolean', o) as ValueField<boolean, TraitsOf<O, false, false>>;
}

/**
 * A UUID, read as the dashed lower-case string and stored as 32 hex digits. As the primary key it is generated when
 * missing: time-ordered v7 by default, so record keys sort by creation time.
 */
export function uuid<const O extends UuidOptions = {}>(o?: O): ValueField<string, TraitsOf<O, true, false>> {
  const { version, ...rest } = o ?? ({} as UuidOptions);
  return valueField<string>('uuid', rest, { uuidVersion: version ?? 7 }) as ValueField<string, TraitsOf<O, true, false>>;
}

/** An instant (Date), stored as UTC epoch seconds in Python float form (`1577934245.6`). */
export function dateTime<const O extends Omit<FieldOptions<Date>, 'primaryKey'> = {}>(o?: O): ValueField<Date, TraitsOf<O, false, false>> {
  return valueField<Date>('dateTime', o) as ValueField<Date, TraitsOf<O, false, false>>;
}

/** A calendar date: a Date truncated to UTC midnight, stored as epoch seconds (`410227200.0`). */
export function date<const O extends Omit<FieldOptions<Date>, 'primaryKey'> = {}>(o?: O): ValueField<Date, TraitsOf<O, false, false>> {
  return valueField<Date>('date', o) as ValueField<Date, TraitsOf<O, false, false>>;
}

/** Any JSON-serialisable value, stored as `JSON.stringify` text. `json<T>()` types it. */
export function json<T = unknown, const O extends Omit<FieldOptions<T>, 'primaryKey'> = {}>(o?: O): ValueField<T, TraitsOf<O, false, false>> {
  return valueField<T>('json', o) as ValueField<T, TraitsOf<O, false, false>>;
}

/** Options of container fields. */
export interface ContainerOptions<V> {
  /** How the container's values are stored (default: strings as they are). */
  codec?: Codec<V>;
}

function containerField<C>(kind: ContainerKind, o: ContainerOptions<unknown> | undefined): ContainerField<C> {
  return Object.freeze({ kind, codec: o?.codec ?? stringCodec }) as ContainerField<C>;
}

/** A Redis hash bound to each record (`instance.<field>` is a `Hash<V>`). */
export function hashField<V = string>(o?: ContainerOptions<V>): ContainerField<Hash<V>> {
  return containerField('hash', o as ContainerOptions<unknown>);
}

/** A Redis list bound to each record (`instance.<field>` is a `List<V>`). */
export function listField<V = string>(o?: ContainerOptions<V>): ContainerField<List<V>> {
  return containerField('list', o as ContainerOptions<unknown>);
}

/** A Redis set bound to each record (`instance.<field>` is a `RedisSet<V>`). */
export function setField<V = string>(o?: ContainerOptions<V>): ContainerField<RedisSet<V>> {
  return containerField('set', o as ContainerOptions<unknown>);
}

/** A Redis sorted set bound to each record (`instance.<field>` is a `ZSet<V>`). */
export function zsetField<V = string>(o?: ContainerOptions<V>): ContainerField<ZSet<V>> {
  return containerField('zset', o as ContainerOptions<unknown>);
}
