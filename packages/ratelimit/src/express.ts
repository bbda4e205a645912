import { InvalidArgumentError } from '@walrus/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { checkMiddlewareOptions, rateLimitHeaders, type HeaderStyle, type Limiter } from './headers';
import type { RateLimitResult } from './rate-limit';

export type { HeaderStyle, Limiter } from './headers';

/** Options of the Express middleware. */
export interface ExpressRateLimitOptions {
  /** The key of a request. Default: the client IP (`req.ip`, which honours Express' `trust proxy`). */
  key?: (req: Request) => string | Promise<string>;
  /** Units a request uses (default 1). */
  cost?: number | ((req: Request) => number | Promise<number>);
  /** Requests for which this returns true pass unchecked. */
  skip?: (req: Request) => boolean | Promise<boolean>;
  /** Standard headers to set; default `'draft-6'` (`RateLimit-Limit`, `-Remaining`, `-Reset`, `-Policy`). */
  headers?: HeaderStyle;
  /** When Redis fails, let requests through (default true) instead of passing the error to `next`. */
  failOpen?: boolean;
  /** Answers a limited request; default: status 429, `Retry-After`, text "Too Many Requests". */
  onLimited?: (req: Request, res: Response, next: NextFunction, result: RateLimitResult) => unknown;
}

function clientIp(req: Request): string {
  const ip = req.ip ?? req.socket?.remoteAddress;
  if (!ip) throw new InvalidArgumentError('cannot tell the client IP of this request; pass a `key` function', { field: 'key' });
  return ip;
}

/**
 * Express middleware: checks each request against `limiter`, sets the `RateLimit-*` headers and answers limited
 * requests with 429 and `Retry-After`. One round trip per request.
 *
 * ```ts
 * app.use(rateLimit(new RateLimit(db, 'api', { limit: 100, per: '1m', algorithm: 'gcra' })));
 * ```
 */
export function rateLimit(limiter: Limiter, o: ExpressRateLimitOptions = {}): RequestHandler {
  checkMiddlewareOptions(limiter, o);
  const style = o.headers ?? 'draft-6';
  const failOpen = o.failOpen ?? true;
  return async (req, res, next) => {
    let key: string;
    let cost: number | undefined;
    try {
      if (o.skip && (await o.skip(req))) return next();
      key = o.key ? await o.key(req) : clientIp(req);
      cost = typeof o.cost === 'function' ? await o.cost(req) : o.cost;
    } catch (err) {
      return next(err);
    }
    let result: RateLimitResult;
    try {
      result = await limiter.check(key, { cost });
    } catch (err) {
      return failOpen && !(err instanceof InvalidArgumentError) ? next() : next(err);
    }
    for (const [name, value] of rateLimitHeaders(style, limiter.policy, result)) res.setHeader(name, value);
    if (!result.limited) return next();
    if (!o.onLimited) return void res.status(429).type('text/plain').send('Too Many Requests');
    try {
      await o.onLimited(req, res, next, result);
    } catch (err) {
      next(err);
    }
  };
}
