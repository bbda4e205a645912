import { randomBytes } from 'node:crypto';
import { createClient, createCluster } from 'redis';
import { connect, type ConnectOptions, type Walrus } from '@walrus/core';

import { enabledTopologies, type Topology } from './topology-env';

type RawClient = ReturnType<typeof createClient>;
type RawCluster = ReturnType<typeof createCluster>;

/** Where the suite's servers are, as the jest global setup published them. */
export function testServers(): { url?: string; rootNodes?: { url: string }[] } {
  const url = process.env.WALRUS_TEST_URL;
  const nodes = process.env.WALRUS_TEST_CLUSTER;
  return { url: url || undefined, rootNodes: nodes ? nodes.split(',').map((u) => ({ url: u })) : undefined };
}

/** What a topology-bound test sees: a connected handle under a prefix of its own, plus raw clients for assertions. */
export interface TopologyContext {
  readonly topology: Topology;
  readonly isCluster: boolean;
  /** Unique per describe block; every key the block writes starts with it and is deleted afterwards. */
  readonly prefix: string;
  /** A handle made by `connect()` with `prefix`. */
  readonly db: Walrus;
  /** A raw node-redis v6 client (or cluster) on the same servers, for checks that bypass the library. */
  readonly raw: RawClient | RawCluster;
  /** Connection options for this topology (url or cluster root nodes), to build further handles or clients. */
  readonly connectOptions: ConnectOptions;
  /** The raw key name for `name` under this block's prefix. */
  key(name: string): string;
  /** Another handle on the same servers (closed after the block); `prefix` defaults to the block's. */
  connect(o?: Omit<ConnectOptions, 'url' | 'cluster'>): Promise<Walrus>;
  /** Sends a raw command on the node owning `key` (any node when omitted). */
  rawCommand<T = unknown>(args: string[], key?: string): Promise<T>;
  /** Raw clients of every master (one when standalone), e.g. for SCRIPT FLUSH or MONITOR. */
  masters(): Promise<RawClient[]>;
}

/** A raw node-redis client or cluster on the suite's servers for `topology`. */
export async function rawClient(topology: Topology): Promise<RawClient | RawCluster> {
  const { url, rootNodes } = testServers();
  if (topology === 'cluster') {
    if (!rootNodes) throw new Error('no cluster: run the tests through jest (global setup) or set REDIS_CLUSTER_NODES');
    // RESP2 keeps raw replies in their classic shape (flat arrays, string scores) for assertions.
    const c = createCluster({ rootNodes, RESP: 2 }) as unknown as RawCluster;
    await c.connect();
    return c;
  }
  if (!url) throw new Error('no server: run the tests through jest (global setup) or set REDIS_URL');
  const c = createClient({ url, RESP: 2 }) as unknown as RawClient;
  await c.connect();
  return c;
}

function isRawCluster(raw: RawClient | RawCluster): raw is RawCluster {
  return 'masters' in raw;
}

/** The raw clients of every master (the client itself when standalone). */
export async function rawMasters(raw: RawClient | RawCluster): Promise<RawClient[]> {
  if (!isRawCluster(raw)) return [raw];
  return Promise.all(raw.masters.map((m) => raw.nodeClient(m) as unknown as Promise<RawClient>));
}

/** Deletes every key starting with `prefix` on every master (SCAN + UNLINK); never touches other keys. */
export async function deletePrefixed(raw: RawClient | RawCluster, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  for (const c of await rawMasters(raw)) {
    let cursor = '0';
    do {
      const [next, keys] = (await c.sendCommand(['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000'])) as [string, string[]];
      cursor = next;
      for (const k of keys) await c.sendCommand(['UNLINK', k]);
    } while (cursor !== '0');
  }
}

function optionsFor(topology: Topology): ConnectOptions {
  const { url, rootNodes } = testServers();
  return topology === 'cluster' ? { cluster: { rootNodes: rootNodes! } } : { url };
}

/**
 * Runs `fn` as a describe block once per enabled topology (standalone server and 3-master cluster). The context
 * is usable inside hooks and tests; all keys under its prefix and all handles it opened are removed after the block.
 */
export function describeTopologies(title: string, fn: (t: TopologyContext) => void): void {
  for (const topology of enabledTopologies()) {
    describe(`${title} [${topology}]`, () => {
      const prefix = `wt${randomBytes(4).toString('hex')}:`;
      const opened: Walrus[] = [];
      let db: Walrus | undefined;
      let raw: RawClient | RawCluster | undefined;
      const ctx: TopologyContext = {
        topology,
        isCluster: topology === 'cluster',
        prefix,
        get db() {
          if (!db) throw new Error('TopologyContext.db is available inside tests and hooks only');
          return db;
        },
        get raw() {
          if (!raw) throw new Error('TopologyContext.raw is available inside tests and hooks only');
          return raw;
        },
        connectOptions: optionsFor(topology),
        key: (name) => prefix + name,
        async connect(o = {}) {
          const h = await connect({ ...optionsFor(topology), prefix, ...o });
          opened.push(h);
          return h;
        },
        async rawCommand<T>(args: string[], key?: string) {
          const r = ctx.raw;
          return (isRawCluster(r) ? r.sendCommand(key, false, args) : r.sendCommand(args)) as Promise<T>;
        },
        masters: () => rawMasters(ctx.raw),
      };
      beforeAll(async () => {
        raw = await rawClient(topology);
        db = await ctx.connect();
      });
      afterAll(async () => {
        await Promise.allSettled(opened.map((h) => h.close()));
        if (raw) {
          await deletePrefixed(raw, prefix);
          await raw.close();
        }
      });
      fn(ctx);
    });
  }
}
