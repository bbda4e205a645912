import { setTimeout as sleep } from 'node:timers/promises';
import type { Walrus } from '@walrus/core';

/** Redis' clock in milliseconds (with microseconds as decimals). */
export async function redisNowMs(db: Walrus): Promise<number> {
  const [s, us] = await db.command<string[]>(['TIME']);
  return Number(s) * 1000 + Number(us) / 1000;
}

/** Waits until Redis' clock has at least `needMs` left in the current epoch-aligned window of `perMs`. */
export async function alignToWindow(db: Walrus, perMs: number, needMs: number): Promise<void> {
  const now = await redisNowMs(db);
  const left = perMs - (now % perMs);
  if (left < needMs) await sleep(left + 20);
}

/** Runs `callers` concurrent loops of `attempts` calls each; returns the results in completion order. */
export async function hammer<T>(callers: number, attempts: number, call: (caller: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let i = 0; i < attempts; i++) out.push(await call(c));
    }),
  );
  return out;
}
