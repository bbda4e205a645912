import { randomBytes } from 'node:crypto';
import type { TopologyContext } from '@walrus/testing';

/** A client name unique to one test, so CLIENT LIST can pick out that test's connections. */
export function uniqueName(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/** Connections named `name` that are blocked right now (CLIENT LIST flag `b`) on the node owning `key`. */
export async function blockedClients(t: TopologyContext, name: string, key: string): Promise<number> {
  const list = String(await t.rawCommand<string>(['CLIENT', 'LIST'], key));
  return list.split('\n').filter((line) => line.includes(` name=${name} `) && /\sflags=\S*b/.test(line)).length;
}

/** Polls `probe` until it returns true or `ms` pass; returns the last answer. */
export async function eventually(probe: () => Promise<boolean>, ms = 2000): Promise<boolean> {
  const end = performance.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves `true` if `p` settles within `ms`, else `false` (never rejects). */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  const done = p.then(
    () => true,
    () => true,
  );
  const r = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return r;
}
