import { InvalidArgumentError, WrongTypeError, isReplyError, type Arg, type RedisClientLike, type RedisClusterLike, type Walrus } from '@walrus/core';

/** node-redis' RESP type id of integer replies (`:`). */
const RESP_NUMBER = 58;
const EXACT = { typeMapping: { [RESP_NUMBER]: String } };

/**
 * Sends a command whose integer replies may exceed 2^53 (BITFIELD on 54- to 64-bit fields) and returns them as
 * decimal strings, so nothing is rounded. Nil entries stay `null`. A WRONGTYPE reply becomes a WrongTypeError naming
 * `key`; Redis' argument errors become InvalidArgumentError.
 */
export async function sendExact(db: Walrus, args: Arg[], key: string, readonly: boolean): Promise<(string | null)[]> {
  try {
    const reply = db.isCluster
      ? await (db.client as RedisClusterLike).sendCommand(key, readonly, args, EXACT)
      : await (db.client as RedisClientLike).sendCommand(args, EXACT);
    return (reply as unknown[]).map((v) => (v === null || v === undefined ? null : String(v)));
  } catch (err) {
    if (isReplyError(err, 'WRONGTYPE')) {
      const actual = await db.command<string>(['TYPE', key], { key });
      throw new WrongTypeError(key, 'string', actual, { cause: err });
    }
    if (isReplyError(err, 'ERR')) throw new InvalidArgumentError(`${String(args[0])} on "${key}": ${(err as Error).message.replace(/^ERR /, '')}`, { cause: err });
    throw err;
  }
}
