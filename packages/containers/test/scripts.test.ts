import { Script } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { ARRAY_AT } from '../src/lua/array-at';
import { ARRAY_INDEX_OF } from '../src/lua/array-index-of';
import { ARRAY_PUSH } from '../src/lua/array-push';
import { ARRAY_REMOVE } from '../src/lua/array-remove';
import { ARRAY_SET } from '../src/lua/array-set';
import { ARRAY_SLICE } from '../src/lua/array-slice';
import { CAS } from '../src/lua/cas';
import { GET_KEY } from '../src/lua/get-key';
import { LIST_REMOVE_AT } from '../src/lua/list-remove-at';
import { ZSET_SLICE } from '../src/lua/zset-slice';

const scripts = Object.entries({ ARRAY_AT, ARRAY_INDEX_OF, ARRAY_PUSH, ARRAY_REMOVE, ARRAY_SET, ARRAY_SLICE, CAS, GET_KEY, LIST_REMOVE_AT, ZSET_SLICE });

describeTopologies('Lua scripts', (t) => {
  it.each(scripts)('%s compiles on the server to the SHA the runner uses, and returns no Lua booleans', async (name, source) => {
    expect(source).not.toMatch(/return (true|false)\b/);
    expect(await t.rawCommand(['SCRIPT', 'LOAD', source], t.key(name))).toBe(new Script(name, source).sha);
  });
});
