import { BUFFER_REPLIES, STRING_REPLIES } from './reply';
import type { Arg, RedisClientLike, RedisClusterLike } from './types';

/** A node-redis 5/6 client or cluster. */
export type AnyClient = RedisClientLike | RedisClusterLike;

/** True for node-redis cluster clients. */
export function isClusterClient(c: AnyClient): c is RedisClusterLike {
  return 'masters' in c && typeof (c as RedisClusterLike).nodeClient === 'function';
}

/** Sends one raw command with @walrus' type mapping, routed by `key` on a cluster. */
export function send(c: AnyClient, args: Arg[], key: Arg | undefined, readonly: boolean, buffers: boolean): Promise<unknown> {
  const options = { typeMapping: buffers ? BUFFER_REPLIES : STRING_REPLIES };
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
