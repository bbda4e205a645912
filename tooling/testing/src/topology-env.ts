/** The two Redis deployments every behaviour test runs on. */
export type Topology = 'standalone' | 'cluster';

/** The topologies this run covers: both, or the one named by `WALRUS_TOPOLOGY`. */
export function enabledTopologies(): Topology[] {
  const only = process.env.WALRUS_TOPOLOGY;
  if (only === 'standalone' || only === 'cluster') return [only];
  if (only) throw new Error(`WALRUS_TOPOLOGY must be "standalone" or "cluster", got "${only}"`);
  return ['standalone', 'cluster'];
}
