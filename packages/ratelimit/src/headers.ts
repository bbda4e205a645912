import { InvalidArgumentError } from '@walrus/core';
import type { RateLimitPolicy, RateLimitResult } from './rate-limit';

/** Which standard headers HTTP middleware sets: IETF draft 6 (separate fields), draft 7 (combined), or none. */
export type HeaderStyle = 'draft-6' | 'draft-7' | false;

/** What the middleware needs of a limiter (a {@link RateLimit} has it). */
export interface Limiter {
  readonly policy: RateLimitPolicy;
  check(key: string, o?: { cost?: number }): Promise<RateLimitResult>;
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

/** @internal The `RateLimit-*` headers (and `Retry-After` when limited) for one decision. */
export function rateLimitHeaders(style: HeaderStyle, policy: RateLimitPolicy, r: RateLimitResult): [string, string][] {
  const out: [string, string][] = [];
  const window = `${r.limit};w=${seconds(policy.perMs)}`;
  if (style === 'draft-6') {
    out.push(['RateLimit-Policy', window], ['RateLimit-Limit', String(r.limit)], ['RateLimit-Remaining', String(r.remaining)], ['RateLimit-Reset', String(seconds(r.resetMs))]);
  } else if (style === 'draft-7') {
    out.push(['RateLimit-Policy', window], ['RateLimit', `limit=${r.limit}, remaining=${r.remaining}, reset=${seconds(r.resetMs)}`]);
  }
  if (r.limited) out.push(['Retry-After', String(Math.max(1, seconds(r.retryAfterMs)))]);
  return out;
}

/** @internal Checks the options every middleware shares. */
export function checkMiddlewareOptions(limiter: unknown, o: { headers?: unknown; key?: unknown; cost?: unknown; skip?: unknown; onLimited?: unknown }): void {
  const l = limiter as Partial<Limiter> | undefined;
  if (!l || typeof l.check !== 'function' || !l.policy) throw new InvalidArgumentError('rateLimit() needs a RateLimit instance', { field: 'limiter', value: limiter });
  if (o.headers !== undefined && o.headers !== false && o.headers !== 'draft-6' && o.headers !== 'draft-7')
    throw new InvalidArgumentError(`headers must be 'draft-6', 'draft-7' or false, got ${String(o.headers)}`, { field: 'headers', value: o.headers });
  for (const field of ['key', 'skip', 'onLimited'] as const)
    if (o[field] !== undefined && typeof o[field] !== 'function') throw new InvalidArgumentError(`${field} must be a function`, { field, value: o[field] });
  if (o.cost !== undefined && typeof o.cost !== 'function' && typeof o.cost !== 'number') throw new InvalidArgumentError('cost must be a number or a function', { field: 'cost', value: o.cost });
}
