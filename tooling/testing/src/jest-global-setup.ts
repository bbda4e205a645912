import { enabledTopologies } from './topology-env';
import { startCluster, startServer, type RedisCluster, type RedisServer } from './redis-server';

declare global {
  // eslint-disable-next-line no-var
  var __walrusServers: { server?: RedisServer; cluster?: RedisCluster } | undefined;
}

function parseNodes(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.includes('://') ? s : `redis://${s}`));
}

/**
 * Starts one throwaway server and one 3-master cluster for the whole jest run (or uses `REDIS_URL` /
 * `REDIS_CLUSTER_NODES`), and publishes them to the test workers through environment variables.
 */
export default async function globalSetup(): Promise<void> {
  const topologies = enabledTopologies();
  const servers: NonNullable<typeof globalThis.__walrusServers> = {};
  const [server, cluster] = await Promise.all([
    topologies.includes('standalone') && !process.env.REDIS_URL ? startServer() : undefined,
    topologies.includes('cluster') && !process.env.REDIS_CLUSTER_NODES ? startCluster() : undefined,
  ]);
  servers.server = server;
  servers.cluster = cluster;
  globalThis.__walrusServers = servers;
  process.env.WALRUS_TEST_URL = server?.url ?? process.env.REDIS_URL ?? '';
  process.env.WALRUS_TEST_CLUSTER = cluster
    ? cluster.rootNodes.map((n) => n.url).join(',')
    : parseNodes(process.env.REDIS_CLUSTER_NODES ?? '').join(',');
}
