export { ensureRedisServer, freePort, startCluster, startServer, type RedisCluster, type RedisServer, type ServerOptions } from './redis-server';
export { enabledTopologies, type Topology } from './topology-env';
export { deletePrefixed, describeTopologies, rawClient, rawMasters, testServers, type TopologyContext } from './topology';
export { RoundTripCounter } from './round-trips';
