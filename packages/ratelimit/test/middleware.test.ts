import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Hono } from 'hono';
import { InvalidArgumentError } from '@walrus/core';
import { RateLimit } from '@walrus/ratelimit';
import { rateLimit as expressRateLimit } from '@walrus/ratelimit/express';
import { rateLimit as honoRateLimit } from '@walrus/ratelimit/hono';
import { describeTopologies } from '@walrus/testing';

async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Serves a Hono app over node:http the way the Node adapter does (env.incoming = the request). */
function serveHono(app: Hono): Server {
  return createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const response = await app.fetch(request, { incoming: req, outgoing: res });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}

const headersOf = (r: Response, names: string[]) => Object.fromEntries(names.map((n) => [n, r.headers.get(n)]));

describeTopologies('HTTP middleware', (t) => {
  describe('Express', () => {
    it('sets draft-6 RateLimit headers, answers 429 with Retry-After when limited, and keys by client IP', async () => {
      const rl = new RateLimit(t.db, 'http-express', { limit: 2, per: '30s', algorithm: 'fixed-window' });
      const app = express();
      let handled = 0;
      app.use(expressRateLimit(rl));
      app.get('/', (_req, res) => {
        handled++;
        res.send('ok');
      });
      const srv = await listen(app.listen(0, '127.0.0.1'));
      try {
        const first = await fetch(srv.url);
        expect(first.status).toBe(200);
        expect(await first.text()).toBe('ok');
        const h = headersOf(first, ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy', 'retry-after']);
        expect(h).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-policy': '2;w=30', 'retry-after': null });
        expect(Number(h['ratelimit-reset'])).toBeGreaterThan(0);
        expect(Number(h['ratelimit-reset'])).toBeLessThanOrEqual(30);
        expect((await fetch(srv.url)).status).toBe(200);
        const limited = await fetch(srv.url);
        expect(limited.status).toBe(429);
        expect(await limited.text()).toBe('Too Many Requests');
        expect(limited.headers.get('ratelimit-remaining')).toBe('0');
        const retry = Number(limited.headers.get('retry-after'));
        expect(retry).toBeGreaterThanOrEqual(1);
        expect(retry).toBeLessThanOrEqual(30);
        expect(handled).toBe(2);
        // The default key is the client IP.
        expect(await t.rawCommand(['EXISTS', rl.keyFor('127.0.0.1')], rl.keyFor('127.0.0.1'))).toBe(1);
      } finally {
        await srv.close();
      }
    });

    it('takes key, cost, skip, draft-7 headers and onLimited', async () => {
      const rl = new RateLimit(t.db, 'http-express-opts', { limit: 10, per: '60s', algorithm: 'gcra' });
      const app = express();
      app.use(
        expressRateLimit(rl, {
          key: (req) => String(req.headers['x-user']),
          cost: (req) => Number(req.query.cost ?? 1),
          skip: (req) => req.path === '/health',
          headers: 'draft-7',
          onLimited: (_req, res, _next, result) => res.status(503).json({ wait: result.retryAfterMs > 0 }),
        }),
      );
      app.get('/{*any}', (_req, res) => res.send('ok'));
      const srv = await listen(app.listen(0, '127.0.0.1'));
      try {
        const get = (path: string, user: string) => fetch(srv.url + path, { headers: { 'x-user': user } });
        const r1 = await get('/?cost=4', 'ann');
        expect(r1.status).toBe(200);
        expect(headersOf(r1, ['ratelimit-limit', 'ratelimit-policy'])).toEqual({ 'ratelimit-limit': null, 'ratelimit-policy': '10;w=60' });
        expect(r1.headers.get('ratelimit')).toMatch(/^limit=10, remaining=6, reset=\d+$/);
        expect((await get('/?cost=6', 'ann')).status).toBe(200);
        const r3 = await get('/', 'ann');
        expect(r3.status).toBe(503);
        expect(await r3.json()).toEqual({ wait: true });
        expect(r3.headers.get('retry-after')).not.toBeNull();
        expect((await get('/', 'bob')).status).toBe(200);
        const health = await get('/health', 'ann');
        expect(health.status).toBe(200);
        expect(health.headers.get('ratelimit')).toBeNull();
      } finally {
        await srv.close();
      }
    });

    it('lets requests through when Redis fails (failOpen) and passes the error on with failOpen: false', async () => {
      const broken = await t.connect();
      await broken.close();
      const rl = new RateLimit(broken, 'http-broken', { limit: 1 });
      for (const [failOpen, status] of [[true, 200], [false, 500]] as const) {
        const app = express();
        app.use(expressRateLimit(rl, { failOpen }));
        app.get('/', (_req, res) => res.send('ok'));
        app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).send('failed'));
        const srv = await listen(app.listen(0, '127.0.0.1'));
        try {
          expect((await fetch(srv.url)).status).toBe(status);
        } finally {
          await srv.close();
        }
      }
    });

    it('rejects a missing limiter and bad options with InvalidArgumentError', () => {
      const rl = new RateLimit(t.db, 'http-bad');
      expect(() => expressRateLimit(undefined as unknown as RateLimit)).toThrow(InvalidArgumentError);
      expect(() => expressRateLimit(rl, { headers: 'draft-9' as 'draft-7' })).toThrow(InvalidArgumentError);
      expect(() => expressRateLimit(rl, { key: 'ip' as unknown as () => string })).toThrow(InvalidArgumentError);
    });
  });

  describe('Hono', () => {
    it('sets the headers, answers 429 with Retry-After, and keys by the Node adapter client IP', async () => {
      const rl = new RateLimit(t.db, 'http-hono', { limit: 2, per: '20s', algorithm: 'sliding-window' });
      const app = new Hono();
      app.use('*', honoRateLimit(rl));
      app.get('/', (c) => c.text('ok'));
      const srv = await listen(serveHono(app));
      try {
        const first = await fetch(srv.url);
        expect(first.status).toBe(200);
        expect(headersOf(first, ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-policy'])).toEqual({
          'ratelimit-limit': '2',
          'ratelimit-remaining': '1',
          'ratelimit-policy': '2;w=20',
        });
        await fetch(srv.url);
        const limited = await fetch(srv.url);
        expect(limited.status).toBe(429);
        expect(await limited.text()).toBe('Too Many Requests');
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(await t.rawCommand(['EXISTS', rl.keyFor('127.0.0.1')], rl.keyFor('127.0.0.1'))).toBe(1);
      } finally {
        await srv.close();
      }
    });

    it('takes key, cost, skip, draft-7 headers and onLimited, and fails open', async () => {
      const rl = new RateLimit(t.db, 'http-hono-opts', { limit: 3, per: '60s', algorithm: 'token-bucket' });
      const app = new Hono();
      app.use(
        '*',
        honoRateLimit(rl, {
          key: (c) => c.req.header('x-user') ?? 'anon',
          cost: (c) => Number(c.req.query('cost') ?? 1),
          skip: (c) => c.req.path === '/health',
          headers: 'draft-7',
          onLimited: (c, r) => c.json({ retryAfterMs: r.retryAfterMs }, 429),
        }),
      );
      app.get('*', (c) => c.text('ok'));
      const broken = await t.connect();
      await broken.close();
      const open = new Hono();
      open.use('*', honoRateLimit(new RateLimit(broken, 'x'), { key: () => 'k' }));
      open.get('*', (c) => c.text('ok'));
      const srv = await listen(serveHono(app));
      const srvOpen = await listen(serveHono(open));
      try {
        const get = (path: string, user: string) => fetch(srv.url + path, { headers: { 'x-user': user } });
        const r1 = await get('/?cost=3', 'ann');
        expect(r1.status).toBe(200);
        expect(r1.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);
        const r2 = await get('/', 'ann');
        expect(r2.status).toBe(429);
        const body = (await r2.json()) as { retryAfterMs: number };
        expect(body.retryAfterMs).toBeGreaterThan(15_000);
        expect(r2.headers.get('retry-after')).toBe(String(Math.ceil(body.retryAfterMs / 1000)));
        expect((await get('/', 'bob')).status).toBe(200);
        expect((await get('/health', 'ann')).status).toBe(200);
        expect((await fetch(srvOpen.url)).status).toBe(200);
      } finally {
        await srv.close();
        await srvOpen.close();
      }
    });
  });
});
