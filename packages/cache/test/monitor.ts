import { createClient } from '@redis/client';
import type { TopologyContext } from '@walrus/testing';

/**
 * Watches the commands every server of the topology receives (MONITOR on a connection of its own per node) and
 * counts those naming `key`, so round trips can be asserted while other tests use the same servers.
 */
export async function watchKey(t: TopologyContext, key: string): Promise<{ commands(name?: string): string[]; stop(): Promise<void> }> {
  const urls = t.connectOptions.cluster ? t.connectOptions.cluster.rootNodes.map((n) => n.url) : [t.connectOptions.url!];
  const seen: string[] = [];
  const quoted = JSON.stringify(key);
  const clients = await Promise.all(
    urls.map(async (url) => {
      const c = createClient({ url });
      c.on('error', () => {});
      await c.connect();
      await c.monitor((line: string) => {
        // Commands a script runs show up as "[0 lua]"; only what clients sent counts.
        if (line.includes(quoted) && !/\[\d+ lua\]/.test(line)) seen.push(line);
      });
      return c;
    }),
  );
  return {
    commands: (name) => seen.map((l) => /\] "([^"]+)"/.exec(l)?.[1]?.toUpperCase() ?? '').filter((c) => !name || c === name.toUpperCase()),
    async stop() {
      await Promise.all(clients.map((c) => c.destroy()));
    },
  };
}
