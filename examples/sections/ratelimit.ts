import { RateLimitExceededError, type Walrus } from '@walrus/core';
import { RateLimit } from '@walrus/ratelimit';

export async function tour(db: Walrus): Promise<void> {
  // walrus' limiter: a sliding log, 2 events per minute per key; limit() returns true when the caller is limited.
  const perUser = new RateLimit(db, 'mylimit', { limit: 2, per: '60s' });
  const calls = [await perUser.limit('user-1'), await perUser.limit('user-1'), await perUser.limit('user-1')];
  console.log('user-1 limited?', calls.join(', '), '| user-2 limited?', await perUser.limit('user-2'));

  // check() returns the whole decision; every algorithm decides in one Lua script on Redis' clock.
  for (const algorithm of ['fixed-window', 'sliding-window', 'token-bucket', 'gcra'] as const) {
    const rl = new RateLimit(db, `api-${algorithm}`, { limit: 3, per: '10s', algorithm });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await rl.check('10.0.0.1'));
    const last = results[3];
    console.log(
      `${algorithm.padEnd(14)} remaining ${results.map((r) => r.remaining).join(' ')}; 4th call limited=${last.limited}, retry in ${last.retryAfterMs} ms`,
    );
  }

  // A call can cost more than one unit; peek() looks without recording.
  const upload = new RateLimit(db, 'upload-mb', { limit: 100, per: '1h', algorithm: 'token-bucket' });
  await upload.check('ann', { cost: 60 });
  console.log('after 60 MB, a 50 MB upload would be limited:', (await upload.peek('ann', { cost: 50 })).limited);

  // rateLimited() wraps a function and throws RateLimitExceededError with the retry time.
  const login = new RateLimit(db, 'login', { limit: 1, per: '1m' }).rateLimited(async (ip: string) => `welcome ${ip}`, { key: (ip) => ip });
  console.log(await login('192.168.1.2'));
  await login('192.168.1.2').catch((err: unknown) => {
    if (err instanceof RateLimitExceededError) console.log(`second login refused; retry in ${Math.ceil(err.result.retryAfterMs / 1000)} s`);
  });
}
