import { quietErrors, type AnyClient } from './driver';
import { toMs, type Duration } from './duration';
import { InvalidArgumentError } from './errors';
import type { RedisClientLike, RedisClusterLike } from './types';
import { Walrus, type WalrusOptions } from './walrus';

/** Options of {@link connect}. */
export interface ConnectOptions extends WalrusOptions {
  /** `redis://…` URL of a single server. Default `redis://localhost:6379`. */
  url?: string;
  /** Connect to a Redis Cluster through these root nodes instead. */
  cluster?: { rootNodes: { url: string }[] };
  /** Extra node-redis client options (for a cluster: applied to every node connection). */
  client?: Record<string, unknown>;
  /**
   * Per-command timeout. Default: none. node-redis 6 would otherwise arm a 5 s timer per command, which
   * throttles large concurrent batches and fails them under load.
   */
  commandTimeout?: Duration | null;
}

/**
 * Opens a connection (a client, or a cluster client with `cluster`) and returns the handle that owns it.
 * `close()` or `await using` closes it.
 */
export async function connect(urlOrOptions?: string | ConnectOptions, o: ConnectOptions = {}): Promise<Walrus> {
  const opts: ConnectOptions = typeof urlOrOptions === 'string' ? { ...o, url: urlOrOptions } : { ...urlOrOptions, ...o };
  const timeout = opts.commandTimeout == null ? 0 : toMs(opts.commandTimeout, 'commandTimeout');
  if (opts.cluster && (!Array.isArray(opts.cluster.rootNodes) || opts.cluster.rootNodes.length === 0))
    throw new InvalidArgumentError('cluster.rootNodes must list at least one { url }', { field: 'cluster.rootNodes', value: opts.cluster.rootNodes });
  const { createClient, createCluster } = await import('@redis/client');
  const commandOptions = { ...(opts.client?.commandOptions as object | undefined), timeout };
  const client = (
    opts.cluster
      ? createCluster({ rootNodes: opts.cluster.rootNodes, defaults: { ...opts.client }, commandOptions } as never)
      : createClient({ url: opts.url ?? 'redis://localhost:6379', ...opts.client, commandOptions } as never)
  ) as unknown as AnyClient;
  quietErrors(client);
  const db = Walrus.create(client, true, opts);
  await client.connect();
  return db;
}

/**
 * Wraps a node-redis 5 or 6 client or cluster the caller owns; `close()` never closes it. Clients configured
 * with node-redis' `keyPrefix` are rejected: use the `prefix` option, which @walrus also strips from SCAN results.
 */
export function fromClient(client: RedisClientLike | RedisClusterLike, o: WalrusOptions = {}): Walrus {
  if (!client || typeof client.sendCommand !== 'function' || typeof client.multi !== 'function')
    throw new InvalidArgumentError('fromClient() takes a node-redis 5/6 client or cluster', { field: 'client', value: client });
  const c = client as unknown as { options?: { keyPrefix?: unknown }; _keyPrefix?: unknown };
  const keyPrefix = c.options?.keyPrefix ?? c._keyPrefix;
  if (keyPrefix !== undefined && keyPrefix !== null && String(keyPrefix) !== '')
    throw new InvalidArgumentError('the client has a node-redis keyPrefix; pass { prefix } to @walrus instead', { field: 'keyPrefix', value: keyPrefix });
  return Walrus.create(client as AnyClient, false, o);
}
