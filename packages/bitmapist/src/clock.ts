import type { Walrus } from '@walrus/core';

/** How long a measured offset between this process' clock and Redis' clock is trusted. */
const REFRESH_MS = 60_000;

interface Offset {
  offsetMs: number;
  measuredAt: number;
}

const offsets = new WeakMap<Walrus, Promise<Offset>>();

async function measure(db: Walrus): Promise<Offset> {
  const t0 = Date.now();
  try {
    const [sec, usec] = await db.command<[string, string]>(['TIME']);
    const t1 = Date.now();
    return { offsetMs: Number(sec) * 1000 + Math.floor(Number(usec) / 1000) - Math.round((t0 + t1) / 2), measuredAt: t1 };
  } catch {
    // Servers without TIME (bitmapist-server): fall back to this process' clock.
    return { offsetMs: 0, measuredAt: Date.now() };
  }
}

/**
 * Redis' current time in epoch milliseconds, without a round trip per call: the offset between this process'
 * clock and the server's (`TIME`, half a round trip accurate) is measured on first use and once a minute.
 */
export async function redisNow(db: Walrus): Promise<number> {
  let pending = offsets.get(db);
  let o = pending ? await pending : undefined;
  if (!o || Date.now() - o.measuredAt > REFRESH_MS) {
    if (offsets.get(db) === pending) offsets.set(db, (pending = measure(db)));
    o = await offsets.get(db)!;
  }
  return Date.now() + o.offsetMs;
}
