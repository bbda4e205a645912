export { defineModel, type FieldRefs, type Model, type ModelOptions } from './model';
export {
  autoIncrement,
  boolean,
  bytes,
  date,
  dateTime,
  float,
  hashField,
  integer,
  json,
  listField,
  setField,
  text,
  uuid,
  zsetField,
  type AnyField,
  type ContainerField,
  type ContainerOptions,
  type FieldOptions,
  type FieldTraits,
  type TextOptions,
  type TraitsOf,
  type UuidOptions,
  type ValueField,
} from './field';
export { and, or, type Expr, type ExprOp, type Order } from './expression';
export type { FieldRef } from './field-ref';
export type { QueryOptions } from './query';
export type { Instance, InstanceMethods } from './instance';
export type { FieldsOf, ImplicitId, Input, NumericKeys, PrimaryKeyOf, Schema, ValueOf, Values } from './schema';
export type { KeyOptions } from './keys';
export type { ContainerKind, ValueKind } from './kinds';
export { MultipleResultsError, NotFoundError, ValidationError } from '@walrus/core';
