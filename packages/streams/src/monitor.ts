import { InvalidArgumentError, type Walrus } from '@walrus/core';
import { Subscription, callHandler, closeQuietly } from './subscription';

interface MonitorClient {
  on?(event: string, fn: (err: unknown) => void): unknown;
  connect(): Promise<unknown>;
  monitor(fn: (line: string) => unknown): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
}

interface ClusterWithNodes {
  masters: readonly unknown[];
  nodeClient(master: unknown): unknown;
}

/**
 * Streams the server's activity to `fn`, one MONITOR line per command (`<time> [<db> <client>] "CMD" "arg" …`), for
 * debugging. On a cluster every master is monitored. Runs on connections of its own until the Subscription is
 * stopped or `signal` aborts. MONITOR slows a busy server down: do not leave it on in production.
 */
export async function monitor(db: Walrus, fn: (line: string) => unknown, o: { signal?: AbortSignal } = {}): Promise<Subscription> {
  if (typeof fn !== 'function') throw new InvalidArgumentError('monitor needs a callback', { field: 'fn', value: fn });
  o.signal?.throwIfAborted();
  const sources: { duplicate(): unknown }[] = [];
  if (db.isCluster) {
    const cluster = db.client as unknown as ClusterWithNodes;
    for (const m of cluster.masters) sources.push((await cluster.nodeClient(m)) as { duplicate(): unknown });
  } else sources.push(db.client as unknown as { duplicate(): unknown });
  const clients = sources.map((s) => s.duplicate() as MonitorClient);
  const onLine = (line: string) => callHandler(fn, String(line));
  try {
    for (const c of clients) {
      c.on?.('error', () => {});
      await c.connect();
      await c.monitor(onLine);
    }
  } catch (err) {
    await Promise.all(clients.map(closeQuietly));
    throw err;
  }
  const onAbort = () => void sub.unsubscribe();
  const sub = new Subscription(async () => {
    o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(clients.map((c) => Promise.resolve(c.destroy())));
  });
  if (o.signal?.aborted) await sub.unsubscribe();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  return sub;
}
