import { InvalidArgumentError } from '@walrus/core';
import { autoIncrement, type AnyField, type ContainerField, type FieldTraits, type ValueField } from './field';
import { KINDS, type KindSpec } from './kinds';

/** A model's fields by name. */
export type Schema = Record<string, AnyField>;

/** The implicit primary key of a schema without one (Python's `_id = AutoIncrementField(primary_key=True)`). */
export type ImplicitId = ValueField<number, { nonNull: true; required: false; primaryKey: true; numeric: false }>;

type PkKeys<S> = { [K in keyof S]: S[K] extends ValueField<unknown, infer Tr> ? (Tr['primaryKey'] extends true ? K : never) : never }[keyof S];

/** The fields of a schema, with `_id` added when it names no primary key. */
export type FieldsOf<S extends Schema> = [PkKeys<S>] extends [never] ? S & { _id: ImplicitId } : S;

type ValueKeys<F> = { [K in keyof F]: F[K] extends ValueField<unknown, FieldTraits> ? K : never }[keyof F];
type ContainerKeys<F> = { [K in keyof F]: F[K] extends ContainerField<unknown> ? K : never }[keyof F];
type RequiredKeys<F> = { [K in keyof F]: F[K] extends ValueField<unknown, infer Tr> ? (Tr['required'] extends true ? K : never) : never }[keyof F];

/** The type a value field holds in instances (nullable unless it is a primary key, has a default or is generated). */
export type ValueOf<F> = F extends ValueField<infer T, infer Tr> ? (Tr['nonNull'] extends true ? T : T | null) : never;
type Plain<F> = F extends ValueField<infer T, FieldTraits> ? T : never;
type ContainerOf<F> = F extends ContainerField<infer C> ? C : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The fields of an instance of a model with schema `S`: each value field as `T | null` (`T` when it is the primary
 * key, has a default or is generated), each container field as its bound container.
 */
export type Values<S extends Schema> = Simplify<
  { -readonly [K in ValueKeys<FieldsOf<S>>]: ValueOf<FieldsOf<S>[K]> } & { readonly [K in ContainerKeys<FieldsOf<S>>]: ContainerOf<FieldsOf<S>[K]> }
>;

/** What `build`/`create` take: primary keys that are neither generated nor defaulted are required, the rest optional. */
export type Input<S extends Schema> = Simplify<
  { [K in RequiredKeys<FieldsOf<S>> & ValueKeys<FieldsOf<S>>]: Plain<FieldsOf<S>[K]> } & {
    [K in Exclude<ValueKeys<FieldsOf<S>>, RequiredKeys<FieldsOf<S>>>]?: Plain<FieldsOf<S>[K]> | null;
  }
>;

/** Names of the fields `incr` accepts (integer and float fields that are not the primary key). */
export type NumericKeys<S extends Schema> = {
  [K in keyof FieldsOf<S>]: FieldsOf<S>[K] extends ValueField<unknown, infer Tr> ? (Tr['numeric'] extends true ? K : never) : never;
}[keyof FieldsOf<S>] &
  string;

/** The type of the primary key of a model with schema `S`. */
export type PrimaryKeyOf<S extends Schema> = Plain<FieldsOf<S>[PkKeys<FieldsOf<S>>]>;

/** A value field as the runtime sees it. */
export interface ValueSpec {
  readonly name: string;
  readonly field: ValueField;
  readonly kind: KindSpec;
}

/** A container field as the runtime sees it. */
export interface ContainerSpec {
  readonly name: string;
  readonly field: ContainerField;
}

/** A checked schema: value fields, container fields, the primary key. */
export interface NormalizedSchema {
  readonly values: readonly ValueSpec[];
  readonly containers: readonly ContainerSpec[];
  readonly byName: ReadonlyMap<string, ValueSpec | ContainerSpec>;
  readonly primaryKey: ValueSpec;
  /** Value fields with an absolute index. */
  readonly absolute: readonly ValueSpec[];
  /** Value fields with a continuous index. */
  readonly continuous: readonly ValueSpec[];
  /** Value fields with a full-text index. */
  readonly fts: readonly ValueSpec[];
  /** Whether any stored value is raw bytes. */
  readonly binary: boolean;
}

const RESERVED = new Set(['save', 'delete', 'incr', 'toHash', 'then', 'constructor', 'prototype', '__proto__']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(message: string, field: string, value?: unknown): never {
  throw new InvalidArgumentError(message, { field, value });
}

function isContainer(f: AnyField): f is ContainerField {
  return ['hash', 'list', 'set', 'zset'].includes(f.kind) && 'codec' in f;
}

/** Checks a schema (names, options, one primary key) and adds `_id` when it has none. */
export function normalizeSchema(model: string, schema: Schema): NormalizedSchema {
  if (schema === null || typeof schema !== 'object') fail(`model ${model}: the schema must be an object of fields`, 'schema', schema);
  const values: ValueSpec[] = [];
  const containers: ContainerSpec[] = [];
  for (const [name, field] of Object.entries(schema)) {
    if (name.startsWith('$') || RESERVED.has(name) || name in Object.prototype) fail(`model ${model}: field name "${name}" is reserved`, name, name);
    if (!NAME.test(name)) fail(`model ${model}: field name ${JSON.stringify(name)} must be an identifier (letters, digits, _)`, name, name);
    if (field === null || typeof field !== 'object' || typeof field.kind !== 'string') fail(`model ${model}: field "${name}" is not a field (use text(), integer(), …)`, name, field);
    if (isContainer(field)) {
      containers.push({ name, field });
      continue;
    }
    const kind: KindSpec | undefined = (KINDS as Record<string, KindSpec>)[field.kind];
    if (!kind) fail(`model ${model}: field "${name}" has an unknown kind "${field.kind}"`, name, field.kind);
    const f = field as ValueField;
    if (f.primaryKey && !kind.primaryKey) fail(`model ${model}: a ${f.kind} field ("${name}") cannot be the primary key (use text, integer, autoIncrement or uuid)`, name);
    if (f.index && !kind.indexable) fail(`model ${model}: a ${f.kind} field ("${name}") cannot be indexed`, name);
    if (f.fts && f.kind !== 'text') fail(`model ${model}: only text fields have full-text indexes ("${name}" is ${f.kind})`, name);
    values.push({ name, field: f, kind });
  }
  const pks = values.filter((v) => v.field.primaryKey);
  if (pks.length > 1) fail(`model ${model}: only one primary key is allowed (got ${pks.map((p) => p.name).join(', ')})`, pks[1].name);
  let primaryKey = pks[0];
  if (!primaryKey) {
    if (Object.hasOwn(schema, '_id')) fail(`model ${model}: "_id" is the implicit primary key; declare a primary key or rename the field`, '_id');
    primaryKey = { name: '_id', field: autoIncrement({ primaryKey: true }) as ValueField, kind: KINDS.autoIncrement };
    values.unshift(primaryKey);
  }
  const byName = new Map<string, ValueSpec | ContainerSpec>([...values, ...containers].map((s) => [s.name, s]));
  return {
    values,
    containers,
    byName,
    primaryKey,
    absolute: values.filter((v) => v.field.index),
    continuous: values.filter((v) => v.field.index && v.kind.scalar),
    fts: values.filter((v) => v.field.fts),
    binary: values.some((v) => v.kind.binary),
  };
}
