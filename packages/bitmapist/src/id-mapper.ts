import { Script, ScriptError, InvalidArgumentError, type Walrus } from '@walrus/core';
import { MAX_ID, checkId } from './ids';
import { checkDb, checkName, prefixPart, type KeyOptions } from './keys';
import { ID_MAP_LUA } from './lua/id-map';

const idMapScript = new Script('bitmapist.idmap', ID_MAP_LUA, { numKeys: 3 });

/**
 * Maps string ids (emails, UUIDs) to the dense integer ids bitmaps need, 0, 1, 2… in order of first sight, so
 * bitmaps stay small. Keys: `P:idmap:<name>` (HASH id → integer), `P:idmap:<name>:rev` (HASH integer → id),
 * `P:idmap:<name>:seq` (ids handed out); one slot in tag mode.
 */
export class IdMapper {
  /** The forward hash key. */
  readonly key: string;
  readonly #keys: [string, string, string];

  constructor(
    /** The handle the mapping lives on. */
    readonly db: Walrus,
    /** The mapping's name, to keep several id spaces apart. */
    readonly name = 'default',
    o: KeyOptions = {},
  ) {
    checkDb(db);
    checkName(name);
    this.key = `${prefixPart(db, o)}:idmap:${name}`;
    this.#keys = [this.key, `${this.key}:rev`, `${this.key}:seq`];
  }

  /** The integer id of `id`, assigning the next free one on first sight (one Lua script, one round trip). */
  async toInt(id: string): Promise<number> {
    checkName(id, 'id');
    try {
      return Number(await idMapScript.run(this.db, this.#keys, [id, MAX_ID], { types: { [this.#keys[0]]: 'hash', [this.#keys[1]]: 'hash', [this.#keys[2]]: 'string' } }));
    } catch (err) {
      if (err instanceof ScriptError && err.reason === 'RANGE') throw new InvalidArgumentError(`id mapping "${this.name}" is full: ${err.message}`, { field: 'id', value: id, cause: err });
      throw err;
    }
  }

  /** The integer id of `id` if it has one (HGET); never assigns. */
  async lookup(id: string): Promise<number | undefined> {
    checkName(id, 'id');
    const n = await this.db.command<string | null>(['HGET', this.key, id], { key: this.key, type: 'hash' });
    return n === null || n === undefined ? undefined : Number(n);
  }

  /** The string id that was mapped to `n` (HGET on the reverse hash). */
  async toId(n: number): Promise<string | undefined> {
    checkId(n, 'n');
    const id = await this.db.command<string | null>(['HGET', this.#keys[1], String(n)], { key: this.#keys[1], type: 'hash' });
    return id === null || id === undefined ? undefined : String(id);
  }
}
