import { BUFFER_REPLIES, STRING_REPLIES } from './reply';
import type { Arg, RedisClientLike, RedisClusterLike } from './types';

/** A node-redis 5/6 client or cluster. */
export type AnyClient = RedisClientLike | RedisClusterLike;

/** True for node-redis cluster clients. */
export function isClusterClient(c: AnyClient): c is RedisClusterLike {
  return 'masters' in c && typeof (c as RedisClusterLike).nodeClient === 'function';
}

/**
 * Commands whose RESP3 replies carry doubles. Only these are sent with a type mapping (doubles as strings, as
 * RESP2 gives them): node-redis takes a markedly slower path for any command sent with a `typeMapping`, and the
 * maps other commands return in RESP3 are flattened by `normalizeReply` just as well.
 */
const DOUBLE_REPLIES = new Set([
  'ZSCORE', 'ZMSCORE', 'ZINCRBY', 'ZADD', 'ZRANK', 'ZREVRANK', 'ZRANGE', 'ZRANGEBYSCORE', 'ZREVRANGE', 'ZREVRANGEBYSCORE', 'ZPOPMIN',
  'ZPOPMAX', 'BZPOPMIN', 'BZPOPMAX', 'ZMPOP', 'BZMPOP', 'ZRANDMEMBER', 'ZUNION', 'ZINTER', 'ZDIFF', 'ZSCAN',
  'GEODIST', 'GEOPOS', 'GEORADIUS', 'GEORADIUS_RO', 'GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO', 'GEOSEARCH',
]);
const STRING_OPTIONS = { typeMapping: STRING_REPLIES };
const BUFFER_OPTIONS = { typeMapping: BUFFER_REPLIES };

/** Sends one raw command, routed by `key` on a cluster; replies still need `normalizeReply`. */
export function send(c: AnyClient, args: Arg[], key: Arg | undefined, readonly: boolean, buffers: boolean): Promise<unknown> {
  const options = buffers ? BUFFER_OPTIONS : DOUBLE_REPLIES.has(String(args[0]).toUpperCase()) ? STRING_OPTIONS : undefined;
  return isClusterClient(c) ? c.sendCommand(key, readonly, args, options) : c.sendCommand(args, options);
}

/** node-redis clients emit 'error' on connection trouble; without a listener Node would crash the process. */
export function quietErrors(c: AnyClient): void {
  (c as unknown as { on?: (e: string, fn: (err: unknown) => void) => void }).on?.('error', () => {});
}

/** The clients of every master: the client itself when standalone. */
export async function masterClients(c: AnyClient): Promise<RedisClientLike[]> {
  if (!isClusterClient(c)) return [c];
  return Promise.all(c.masters.map((m) => c.nodeClient(m as never)));
}

/** Closes a connection, destroying it if a graceful close fails. */
export async function closeClient(c: AnyClient): Promise<void> {
  if (!c.isOpen) return;
  try {
    await c.close();
  } catch {
    try {
      c.destroy();
    } catch {
      /* already gone */
    }
  }
}
