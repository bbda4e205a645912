/** A capability that depends on the server version. */
export type Capability = 'evalRo' | 'bitcountBit' | 'xackdel';

/** What `Walrus.server()` reports. */
export interface ServerInfo {
  flavor: 'redis' | 'valkey' | 'unknown';
  version: string;
  /** True when the server version is at least `v` (`'7.0'`, `'6.2.0'`). */
  atLeast(v: string): boolean;
  has(cap: Capability): boolean;
}

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d) return d;
  }
  return 0;
}

/** Parses `INFO server` text; `undefined` text (INFO unavailable) gives an unknown server with 6.2 capabilities. */
export function parseServerInfo(text: string | undefined): ServerInfo {
  const field = (name: string) => text && new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim();
  const valkey = field('valkey_version');
  const isValkey = Boolean(valkey) || field('server_name') === 'valkey';
  const flavor: ServerInfo['flavor'] = text === undefined ? 'unknown' : isValkey ? 'valkey' : 'redis';
  const version = valkey || field('redis_version') || '6.2.0';
  // Valkey 7.2+ has every Redis 7.2 command; xackdel is Redis 8.2 only.
  const redisEquivalent = isValkey ? (compare(version, '7.2.0') >= 0 ? '7.2.0' : version) : version;
  const atLeast = (v: string) => compare(version, v) >= 0;
  const caps: Record<Capability, boolean> = {
    evalRo: compare(redisEquivalent, '7.0.0') >= 0,
    bitcountBit: compare(redisEquivalent, '7.0.0') >= 0,
    xackdel: !isValkey && compare(version, '8.2.0') >= 0,
  };
  return { flavor, version, atLeast, has: (cap) => caps[cap] };
}
