import { InvalidArgumentError } from '@walrus/core';
import type { Context, MiddlewareHandler } from 'hono';
import { checkMiddlewareOptions, rateLimitHeaders, type HeaderStyle, type Limiter } from './headers';
import type { RateLimitResult } from './rate-limit';

export type { HeaderStyle, Limiter } from './headers';

/** Options of the Hono middleware. */
export interface HonoRateLimitOptions {
  /**
   * The key of a request. Default: the client IP of the Node adapter (`c.env.incoming.socket.remoteAddress`); on
   * other runtimes pass one (for example from `getConnInfo(c)`).
   */
  key?: (c: Context) => string | Promise<string>;
  /** Units a request uses (default 1). */
  cost?: number | ((c: Context) => number | Promise<number>);
  /** Requests for which this returns true pass unchecked. */
  skip?: (c: Context) => boolean | Promise<boolean>;
  /** Standard headers to set; default `'draft-6'` (`RateLimit-Limit`, `-Remaining`, `-Reset`, `-Policy`). */
  headers?: HeaderStyle;
  /** When Redis fails, let requests through (default true) instead of throwing to Hono's error handler. */
  failOpen?: boolean;
  /** Builds the response to a limited request; default: 429 "Too Many Requests". Headers are already set. */
  onLimited?: (c: Context, result: RateLimitResult) => Response | Promise<Response>;
}

function clientIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const ip = env?.incoming?.socket?.remoteAddress;
  if (!ip) throw new InvalidArgumentError('cannot tell the client IP of this request; pass a `key` function (for example from getConnInfo)', { field: 'key' });
  return ip;
}

/**
 * Hono middleware: checks each request against `limiter`, sets the `RateLimit-*` headers and answers limited
 * requests with 429 and `Retry-After`. One round trip per request.
 *
 * ```ts
 * app.use('/api/*', rateLimit(new RateLimit(db, 'api', { limit: 100, per: '1m' }), { key: (c) => c.get('userId') }));
 * ```
 */
export function rateLimit(limiter: Limiter, o: HonoRateLimitOptions = {}): MiddlewareHandler {
  checkMiddlewareOptions(limiter, o);
  const style = o.headers ?? 'draft-6';
  const failOpen = o.failOpen ?? true;
  return async (c, next) => {
    if (o.skip && (await o.skip(c))) return next();
    let result: RateLimitResult;
    const key = o.key ? await o.key(c) : clientIp(c);
    const cost = typeof o.cost === 'function' ? await o.cost(c) : o.cost;
    try {
      result = await limiter.check(key, { cost });
    } catch (err) {
      if (failOpen && !(err instanceof InvalidArgumentError)) return next();
      throw err;
    }
    for (const [name, value] of rateLimitHeaders(style, limiter.policy, result)) c.header(name, value);
    if (!result.limited) return next();
    return o.onLimited ? o.onLimited(c, result) : c.text('Too Many Requests', 429);
  };
}
