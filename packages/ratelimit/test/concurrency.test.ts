import type { Walrus } from '@walrus/core';
import { RateLimit, type RateLimitAlgorithm } from '@walrus/ratelimit';
import { describeTopologies } from '@walrus/testing';
import { alignToWindow, hammer, redisNowMs } from './helpers';

const CALLERS = 50;

describeTopologies('RateLimit under 50 concurrent callers', (t) => {
  let handles: Walrus[];
  beforeAll(async () => {
    // Five connections, so decisions really interleave on the server.
    handles = await Promise.all(Array.from({ length: 5 }, () => t.connect()));
  });
  const limiterFor = (c: number, name: string, o: ConstructorParameters<typeof RateLimit>[2]) => new RateLimit(handles[c % handles.length], name, o);

  describe.each<RateLimitAlgorithm>(['sliding-log', 'fixed-window', 'sliding-window'])('%s', (algorithm) => {
    it('admits exactly `limit` per window when 50 callers hammer one key', async () => {
      const per = 60_000;
      if (algorithm !== 'sliding-log') await alignToWindow(t.db, per, 3000);
      const limiters = Array.from({ length: CALLERS }, (_, c) => limiterFor(c, `one-${algorithm}`, { limit: 20, per, algorithm }));
      const results = await hammer(CALLERS, 4, (c) => limiters[c].check('hot'));
      expect(results).toHaveLength(200);
      expect(results.filter((r) => !r.limited)).toHaveLength(20);
      expect(new Set(results.filter((r) => !r.limited).map((r) => r.remaining))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i)));
    });
  });

  describe.each<RateLimitAlgorithm>(['token-bucket', 'gcra'])('%s', (algorithm) => {
    it('admits the burst plus at most what refilled while 50 callers hammer one key', async () => {
      const limit = 20;
      const per = 60_000;
      const limiters = Array.from({ length: CALLERS }, (_, c) => limiterFor(c, `one-${algorithm}`, { limit, per, burst: 10, algorithm }));
      const start = await redisNowMs(t.db);
      const results = await hammer(CALLERS, 4, (c) => limiters[c].check('hot'));
      const elapsed = (await redisNowMs(t.db)) - start;
      const admitted = results.filter((r) => !r.limited).length;
      expect(admitted).toBeGreaterThanOrEqual(10);
      expect(admitted).toBeLessThanOrEqual(10 + Math.floor((elapsed * limit) / per));
    });
  });

  // Over several short windows: the totals must respect each algorithm's bound for the time the run took.
  describe.each<[RateLimitAlgorithm, (d: { windows: number; rolling: number; elapsed: number }) => number]>([
    // Exact over any rolling window, so over the run at most `limit` per started `per`.
    ['sliding-log', (d) => 10 * d.rolling],
    // At most `limit` in each epoch-aligned window the run touched.
    ['fixed-window', (d) => 10 * d.windows],
    ['sliding-window', (d) => 10 * d.windows],
    // The burst plus the refill over the run.
    ['token-bucket', (d) => 10 + Math.floor((d.elapsed * 10) / 250)],
    ['gcra', (d) => 10 + Math.floor((d.elapsed * 10) / 250)],
  ])('%s over several windows', (algorithm, bound) => {
    it('stays within its documented bound while 50 callers hammer one key', async () => {
      const per = 250;
      const limiters = Array.from({ length: CALLERS }, (_, c) => limiterFor(c, `many-${algorithm}`, { limit: 10, per, algorithm }));
      const start = await redisNowMs(t.db);
      const until = performance.now() + 800;
      let admitted = 0;
      let denied = 0;
      await Promise.all(
        limiters.map(async (rl) => {
          while (performance.now() < until) {
            if ((await rl.check('hot')).limited) denied++;
            else admitted++;
          }
        }),
      );
      const end = await redisNowMs(t.db);
      const windows = Math.floor(end / per) - Math.floor(start / per) + 1;
      const rolling = Math.ceil((end - start) / per);
      expect(denied).toBeGreaterThan(admitted);
      expect(admitted).toBeLessThanOrEqual(bound({ windows, rolling, elapsed: end - start }));
      // Every window that passed entirely let its allowance through: the limiter does not starve callers.
      expect(admitted).toBeGreaterThanOrEqual(10 * (rolling - 2));
    });
  });
});
