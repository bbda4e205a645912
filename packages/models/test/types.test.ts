// Compile-time checks of schema inference (run by `tsc`); the runtime part only keeps jest happy.
import type { Hash, List, RedisSet, ZSet } from '@walrus/containers';
import { jsonCodec, type Walrus } from '@walrus/core';
import {
  autoIncrement,
  boolean,
  bytes,
  date,
  dateTime,
  defineModel,
  float,
  hashField,
  integer,
  json,
  listField,
  setField,
  text,
  uuid,
  zsetField,
  type FieldRef,
  type Input,
  type Instance,
  type NumericKeys,
  type PrimaryKeyOf,
  type Values,
} from '@walrus/models';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_?: T): void {}

const schema = {
  name: text({ primaryKey: true }),
  age: integer({ index: true }),
  score: float({ default: 0 }),
  avatar: bytes(),
  admin: boolean({ default: () => false }),
  ref: uuid(),
  seen: dateTime(),
  dob: date({ index: true }),
  prefs: json<{ theme: string }>(),
  visits: autoIncrement(),
  meta: hashField(),
  log: listField({ codec: jsonCodec<{ at: number }>() }),
  tags: setField(),
  ranks: zsetField(),
};
type S = typeof schema;

expectType<Equal<Values<S>['name'], string>>();
expectType<Equal<Values<S>['age'], number | null>>();
expectType<Equal<Values<S>['score'], number>>();
expectType<Equal<Values<S>['avatar'], Buffer | null>>();
expectType<Equal<Values<S>['admin'], boolean>>();
expectType<Equal<Values<S>['ref'], string | null>>();
expectType<Equal<Values<S>['seen'], Date | null>>();
expectType<Equal<Values<S>['prefs'], { theme: string } | null>>();
expectType<Equal<Values<S>['visits'], number>>();
expectType<Equal<Values<S>['meta'], Hash<string>>>();
expectType<Equal<Values<S>['log'], List<{ at: number }>>>();
expectType<Equal<Values<S>['tags'], RedisSet<string>>>();
expectType<Equal<Values<S>['ranks'], ZSet<string>>>();
expectType<Equal<keyof Values<S>, keyof S>>();
// The primary key is required, everything else optional; containers are not input.
expectType<Equal<Input<S>['name'], string>>();
expectType<Equal<Input<S>['age'], number | null | undefined>>();
expectType<Equal<'tags' extends keyof Input<S> ? true : false, false>>();
expectType<Equal<{} extends Pick<Input<S>, 'name'> ? true : false, false>>();
expectType<Equal<NumericKeys<S>, 'age' | 'score'>>();
expectType<Equal<PrimaryKeyOf<S>, string>>();

// No primary key: `_id` (autoIncrement) is added.
type N = { content: ReturnType<typeof text<{}>>; tags: ReturnType<typeof setField<string>> };
expectType<Equal<Values<N>['_id'], number>>();
expectType<Equal<PrimaryKeyOf<N>, number>>();
expectType<Equal<'_id' extends keyof Input<N> ? true : false, true>>();
expectType<Equal<{} extends Input<N> ? true : false, true>>();

// UUID primary keys are generated, so not required.
type U = { id: ReturnType<typeof uuid<{ primaryKey: true }>>; title: ReturnType<typeof text<{}>> };
expectType<Equal<Values<U>['id'], string>>();
expectType<Equal<{} extends Input<U> ? true : false, true>>();

declare const db: Walrus;
function typedUse(): void {
  const User = defineModel(db, 'user', schema);
  expectType<Equal<typeof User.fields.dob, FieldRef<Date>>>();
  expectType<Equal<'tags' extends keyof typeof User.fields ? true : false, false>>();
  const u: Instance<S> = User.build({ name: 'x' });
  u.age = 3;
  // @ts-expect-error a string is not an integer
  u.age = 'three';
  // @ts-expect-error containers are read-only properties
  u.tags = u.tags;
  // @ts-expect-error the primary key is required
  User.build({ age: 3 });
  // @ts-expect-error unknown fields are rejected
  User.build({ name: 'x', nope: 1 });
  // @ts-expect-error incr takes numeric fields only
  void u.incr('name');
  void u.incr('age', 2);
  void User.load('charlie');
  // @ts-expect-error the primary key is a string
  void User.load(3);
}

it('keeps the compile-time checks above', () => {
  expect(typeof typedUse).toBe('function');
});
