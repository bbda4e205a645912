import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createClient } from 'redis';

/** A throwaway redis-server process on a loopback port. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly pid: number | undefined;
  /** Stops the process (SIGTERM, then SIGKILL after 3 s) and removes its directory unless `keepDir`. */
  stop(o?: { keepDir?: boolean }): Promise<void>;
  /** Stops and starts the server again on the same port and directory (data survives only with persistence on). */
  restart(): Promise<void>;
}

/** Options for {@link startServer}. */
export interface ServerOptions {
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--appendonly', 'yes']`. */
  args?: string[];
  dir?: string;
}

const INSTALL_HINT =
  'redis-server was not found. Install it and run again:\n' +
  '  Debian/Ubuntu: sudo apt-get install -y redis-server\n' +
  '  macOS:         brew install redis\n' +
  'or point REDIS_SERVER_BIN at a redis-server binary.';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function lookup(): string | undefined {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`REDIS_SERVER_BIN=${fromEnv} is not an executable file.\n${INSTALL_HINT}`);
    return fromEnv;
  }
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin', '/usr/sbin']);
  return dirs.map((d) => join(d, 'redis-server')).find(isExecutable);
}

let resolved: string | undefined;

/**
 * Finds `redis-server` on PATH or in `REDIS_SERVER_BIN`. When it is missing and this process runs as root on
 * Debian or Ubuntu, installs the `redis-server` package with apt-get; otherwise throws with the install command.
 */
export function ensureRedisServer(): string {
  if (resolved) return resolved;
  let bin = lookup();
  if (!bin && process.getuid?.() === 0 && existsSync('/etc/debian_version')) {
    process.stderr.write('redis-server not found: installing the Debian package redis-server\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // Test runs of several packages start at once: flock makes them take turns, and the later ones find it installed.
    const script = 'command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server; }';
    const install = spawnSync('flock', [join(tmpdir(), 'walrus-apt.lock'), 'sh', '-c', script], { stdio: 'inherit', env });
    if (install.status !== 0) throw new Error(`apt-get install redis-server failed.\n${INSTALL_HINT}`);
    bin = lookup();
  }
  if (!bin) throw new Error(INSTALL_HINT);
  resolved = bin;
  return bin;
}

/** A free TCP port on 127.0.0.1, as the OS hands it out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function spawnRedis(bin: string, port: number, dir: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'no', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`redis-server on port ${port} did not start in 10 s:\n${out}`)), 10_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      if (out.length < 20_000) out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`redis-server on port ${port} exited with ${code}:\n${out}`)));
    child.once('error', fail);
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts a throwaway `redis-server` on a free loopback port in a temporary directory (no persistence by default). */
export async function startServer(o: ServerOptions = {}): Promise<RedisServer> {
  const bin = ensureRedisServer();
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'walrus-redis-'));
  const args = o.args ?? [];
  // A port found free can be taken by a parallel run before redis-server binds it: pick another and retry.
  let port = o.port ?? (await freePort());
  let child: ChildProcess;
  for (let attempt = 1; ; attempt++) {
    try {
      child = await spawnRedis(bin, port, dir, args);
      break;
    } catch (err) {
      if (o.port !== undefined || attempt >= 5 || !/Address already in use|bind/i.test(String(err))) throw err;
      port = await freePort();
    }
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get pid() {
      return child.pid;
    },
    async stop({ keepDir = false } = {}) {
      await terminate(child);
      if (!keepDir && !o.dir) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await terminate(child);
      child = await spawnRedis(bin, port, dir, args);
    },
  };
}

/** A throwaway Redis Cluster of masters only. */
export interface RedisCluster {
  readonly nodes: RedisServer[];
  /** `[{ url }]` root nodes, as `createCluster` wants them. */
  readonly rootNodes: { url: string }[];
  /** Resolves once every node reports `cluster_state:ok` and knows every other node (e.g. after a restart). */
  waitReady(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function waitClusterReady(nodes: RedisServer[], timeoutMs: number): Promise<void> {
  const admins = await Promise.all(
    nodes.map(async (n) => {
      const c = createClient({ url: n.url, RESP: 2 });
      c.on('error', () => {});
      await c.connect();
      return c;
    }),
  );
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(
        admins.map(async (c) => {
          const info = String(await c.sendCommand(['CLUSTER', 'INFO']));
          const known = String(await c.sendCommand(['CLUSTER', 'NODES'])).trim().split('\n').length;
          return info.includes('cluster_state:ok') && known === nodes.length;
        }),
      );
      if (states.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error(`the test cluster did not reach cluster_state:ok in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await Promise.all(admins.map((c) => c.close()));
  }
}

/**
 * Starts `masters` (3) cluster-enabled servers, assigns the 16384 slots in even ranges and joins them with
 * CLUSTER MEET; resolves once every node reports `cluster_state:ok` and knows every other node.
 */
export async function startCluster(o: { masters?: number; args?: string[] } = {}): Promise<RedisCluster> {
  const count = o.masters ?? 3;
  const nodes: RedisServer[] = [];
  const busPorts: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      for (let attempt = 1; ; attempt++) {
        const busPort = await freePort();
        try {
          nodes.push(
            await startServer({
              args: ['--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000', ...(o.args ?? [])],
            }),
          );
          busPorts.push(busPort);
          break;
        } catch (err) {
          if (attempt >= 5 || !/Address already in use|bind/i.test(String(err))) throw err;
        }
      }
    }
    const admins = await Promise.all(
      nodes.map(async (n) => {
        const c = createClient({ url: n.url, RESP: 2 });
        await c.connect();
        return c;
      }),
    );
    try {
      const per = Math.ceil(16384 / count);
      await Promise.all(
        admins.map((c, i) => c.sendCommand(['CLUSTER', 'ADDSLOTSRANGE', String(i * per), String(Math.min(16383, (i + 1) * per - 1))])),
      );
      for (let i = 1; i < count; i++) await admins[i].sendCommand(['CLUSTER', 'MEET', '127.0.0.1', String(nodes[0].port), String(busPorts[0])]);
    } finally {
      await Promise.all(admins.map((c) => c.close()));
    }
    await waitClusterReady(nodes, 20_000);
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
  return {
    nodes,
    rootNodes: nodes.map((n) => ({ url: n.url })),
    waitReady: (timeoutMs = 20_000) => waitClusterReady(nodes, timeoutMs),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
