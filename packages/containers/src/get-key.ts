import { NotFoundError, Script, WrongTypeError, type Walrus } from '@walrus/core';
import { Hash } from './hash';
import { List } from './list';
import { GET_KEY } from './lua/get-key';
import { RedisSet } from './set';
import { ZSet } from './zset';

const getKeyScript = /* @__PURE__ */ new Script<[string, string?]>('get-key', GET_KEY, { numKeys: 1, readOnly: true });

/** What {@link getKey} returns: a container for hashes, lists, sets and sorted sets, the value for strings. */
export type KeyValue = Hash | List | RedisSet | ZSet | string;

const makers: Record<string, (db: Walrus, name: string) => Exclude<KeyValue, string>> = {
  hash: (db, name) => new Hash(db, name),
  list: (db, name) => new List(db, name),
  set: (db, name) => new RedisSet(db, name),
  zset: (db, name) => new ZSet(db, name),
};

/**
 * The key `db.key(name)` as a rich object, by its Redis type (Python `get_key`): a {@link Hash}, {@link List},
 * {@link RedisSet} or {@link ZSet}, or the value of a string. One read-only script (TYPE, and GET for strings).
 * A missing key raises NotFoundError; other types (streams…) raise WrongTypeError.
 *
 * @example
 * const h = await getKey(db, 'charlie');
 * if (h instanceof Hash) await h.get('name');
 */
export async function getKey(db: Walrus, name: string): Promise<KeyValue> {
  const key = db.key(name);
  const [type, value] = await getKeyScript.run(db, [key]);
  if (type === 'string') return String(value);
  if (type === 'none') throw new NotFoundError(`key "${key}" does not exist`, { key });
  const make = makers[type];
  if (!make) throw new WrongTypeError(key, 'hash, list, set, zset or string', type);
  return make(db, name);
}
