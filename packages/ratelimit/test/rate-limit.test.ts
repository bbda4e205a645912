import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, RateLimitExceededError, WrongTypeError } from '@walrus/core';
import { RateLimit, type RateLimitAlgorithm } from '@walrus/ratelimit';
import { describeTopologies } from '@walrus/testing';
import { ALGORITHMS } from '../src/algorithms';
import { alignToWindow, redisNowMs } from './helpers';

const ALL: RateLimitAlgorithm[] = ['sliding-log', 'fixed-window', 'sliding-window', 'token-bucket', 'gcra'];

describeTopologies('RateLimit (walrus behaviour)', (t) => {
  it('allows `limit` events per window and then limits, per key (the walrus example)', async () => {
    const rl = new RateLimit(t.db, 'mylimit', { limit: 2, per: '60s' });
    expect(await rl.limit('user-1')).toBe(false);
    expect(await rl.limit('user-1')).toBe(false);
    expect(await rl.limit('user-1')).toBe(true);
    expect(await rl.limit('user-2')).toBe(false);
  });

  it('stores the log at <name>:<key> as a LIST of Unix seconds with six decimals, newest first, from Redis TIME', async () => {
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000; // a client clock one hour ahead must not matter
    try {
      const rl = new RateLimit(t.db, 'log', { limit: 3, per: '60s' });
      await rl.check('ip');
      await sleep(5);
      await rl.check('ip');
      const key = `${t.prefix}log:ip`;
      expect(rl.keyFor('ip')).toBe(key);
      expect(await t.rawCommand(['TYPE', key], key)).toBe('list');
      const entries = await t.rawCommand<string[]>(['LRANGE', key, '0', '-1'], key);
      expect(entries).toHaveLength(2);
      for (const e of entries) expect(e).toMatch(/^\d{10}\.\d{6}$/);
      expect(Number(entries[0])).toBeGreaterThan(Number(entries[1]));
      const server = (await redisNowMs(t.db)) / 1000;
      expect(Math.abs(server - Number(entries[0]))).toBeLessThan(5);
    } finally {
      Date.now = realNow;
    }
  });

  it('uses the same key names with hashTag: false (shareable with Python walrus)', async () => {
    const tagless = await t.connect({ hashTag: false });
    const a = new RateLimit(t.db, 'shared', { limit: 1 });
    const b = new RateLimit(tagless, 'shared', { limit: 1 });
    expect(a.keyFor('k')).toBe(b.keyFor('k'));
    expect(await a.limit('k')).toBe(false);
    expect(await b.limit('k')).toBe(true);
  });

  it('honours a log written by Python walrus (str(time.time()) entries)', async () => {
    const rl = new RateLimit(t.db, 'py', { limit: 2, per: '10s' });
    const key = rl.keyFor('user');
    const now = (await redisNowMs(t.db)) / 1000;
    // Python writes repr(time.time()): a varying number of decimals.
    await t.rawCommand(['RPUSH', key, String(now - 1), (now - 2).toFixed(2)], key);
    expect(await rl.limit('user')).toBe(true);
    const old = rl.keyFor('old');
    await t.rawCommand(['RPUSH', old, String(now - 11), String(now - 12)], old);
    expect(await rl.limit('old')).toBe(false);
    expect(await t.rawCommand<string[]>(['LRANGE', old, '0', '-1'], old)).toHaveLength(2);
  });

  it('writes nothing when a call is limited', async () => {
    const rl = new RateLimit(t.db, 'nowrite', { limit: 2, per: '60s' });
    await rl.check('k');
    await rl.check('k');
    const key = rl.keyFor('k');
    const before = await t.rawCommand<string[]>(['LRANGE', key, '0', '-1'], key);
    await sleep(5);
    const r = await rl.check('k');
    expect(r.limited).toBe(true);
    expect(await t.rawCommand<string[]>(['LRANGE', key, '0', '-1'], key)).toEqual(before);
  });

  it('expires the log `per` after its newest event (not limit * 2 s as walrus did)', async () => {
    const rl = new RateLimit(t.db, 'ttl', { limit: 10, per: '7s' });
    await rl.check('k');
    const ttl = Number(await t.rawCommand(['PTTL', rl.keyFor('k')], rl.keyFor('k')));
    expect(ttl).toBeGreaterThan(6000);
    expect(ttl).toBeLessThanOrEqual(7000);
  });

  it('rateLimited() throws RateLimitExceededError with retry information and does not call the function', async () => {
    const rl = new RateLimit(t.db, 'login', { limit: 3, per: '60s' });
    let calls = 0;
    const login = rl.rateLimited(
      async (ip: string, user: string) => {
        calls++;
        return `${user}@${ip}`;
      },
      { key: (ip) => ip },
    );
    for (let i = 0; i < 3; i++) expect(await login('10.0.0.1', `u${i}`)).toBe(`u${i}@10.0.0.1`);
    const err = await login('10.0.0.1', 'u3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitExceededError);
    const { result } = err as RateLimitExceededError;
    expect(result).toMatchObject({ limited: true, limit: 3, remaining: 0 });
    expect(result.retryAfterMs).toBeGreaterThan(59_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(calls).toBe(3);
    expect(await login('10.0.0.2', 'other')).toBe('other@10.0.0.2');
  });

  it('rateLimited() without a key function keys by the arguments, and keeps `this`', async () => {
    const rl = new RateLimit(t.db, 'byargs', { limit: 1, per: '60s' });
    const obj = {
      base: 10,
      add: rl.rateLimited(function (this: { base: number }, n: number) {
        return this.base + n;
      }),
    };
    expect(await obj.add(1)).toBe(11);
    expect(await obj.add(2)).toBe(12);
    await expect(obj.add(1)).rejects.toBeInstanceOf(RateLimitExceededError);
    const keys = [];
    for await (const k of t.db.scanKeys('byargs:*')) keys.push(k);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^byargs:[0-9a-f]{40}$/);
  });

  it('with `disabled` allows everything and never touches Redis (walrus debug)', async () => {
    const rl = new RateLimit(t.db, 'off', { limit: 1, disabled: true });
    for (let i = 0; i < 5; i++) expect(await rl.limit('k')).toBe(false);
    expect(await t.rawCommand(['EXISTS', rl.keyFor('k')], rl.keyFor('k'))).toBe(0);
  });
});

describeTopologies('RateLimit algorithms', (t) => {
  describe.each(ALL)('%s', (algorithm) => {
    const capacityOf = (rl: RateLimit) => rl.policy.capacity;

    it('admits exactly its allowance, then limits with retryAfterMs and writes nothing while limited', async () => {
      if (algorithm === 'fixed-window' || algorithm === 'sliding-window') await alignToWindow(t.db, 60_000, 3000);
      const rl = new RateLimit(t.db, `seq-${algorithm}`, { limit: 4, per: '60s', algorithm });
      const remaining: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await rl.check('k');
        expect(r.limited).toBe(false);
        expect(r.retryAfterMs).toBe(0);
        expect(r.limit).toBe(4);
        remaining.push(r.remaining);
      }
      expect(remaining).toEqual([3, 2, 1, 0]);
      const key = rl.keyFor('k');
      const dump = await t.rawCommand<string>(['DUMP', key], key);
      const r = await rl.check('k');
      expect(r.limited).toBe(true);
      expect(r.remaining).toBe(0);
      expect(r.retryAfterMs).toBeGreaterThan(0);
      // A sliding window may wait into the next window while the current one's count decays.
      expect(r.retryAfterMs).toBeLessThanOrEqual(algorithm === 'sliding-window' ? 120_000 : 60_000);
      expect(r.resetMs).toBeGreaterThan(0);
      expect(r.resetMs).toBeLessThanOrEqual(algorithm === 'sliding-window' ? 120_000 : 60_000);
      expect(await t.rawCommand<string>(['DUMP', key], key)).toEqual(dump);
    });

    it('takes a per-call cost', async () => {
      if (algorithm === 'fixed-window' || algorithm === 'sliding-window') await alignToWindow(t.db, 60_000, 3000);
      const rl = new RateLimit(t.db, `cost-${algorithm}`, { limit: 5, per: '60s', algorithm });
      expect(await rl.check('k', { cost: 3 })).toMatchObject({ limited: false, remaining: 2 });
      expect(await rl.check('k', { cost: 3 })).toMatchObject({ limited: true, remaining: 2 });
      expect(await rl.check('k', { cost: 2 })).toMatchObject({ limited: false, remaining: 0 });
      if (algorithm === 'sliding-log') expect(await t.rawCommand(['LLEN', rl.keyFor('k')], rl.keyFor('k'))).toBe(5);
    });

    it('peek says what check would decide without recording; reset forgets the key', async () => {
      if (algorithm === 'fixed-window' || algorithm === 'sliding-window') await alignToWindow(t.db, 60_000, 3000);
      const rl = new RateLimit(t.db, `peek-${algorithm}`, { limit: 2, per: '60s', algorithm });
      expect(await rl.peek('k')).toMatchObject({ limited: false, remaining: 2, resetMs: 0 });
      expect(await t.rawCommand(['EXISTS', rl.keyFor('k')], rl.keyFor('k'))).toBe(0);
      await rl.check('k');
      await rl.check('k');
      const p = await rl.peek('k');
      expect(p).toMatchObject({ limited: true, remaining: 0 });
      expect(p.retryAfterMs).toBeGreaterThan(0);
      expect(await rl.peek('k', { cost: 1 })).toMatchObject({ limited: true });
      await rl.reset('k');
      expect(await t.rawCommand(['EXISTS', rl.keyFor('k')], rl.keyFor('k'))).toBe(0);
      expect(await rl.check('k')).toMatchObject({ limited: false, remaining: 1 });
    });

    it('lets calls through again once the window has passed, after about retryAfterMs', async () => {
      const per = 400;
      if (algorithm === 'fixed-window' || algorithm === 'sliding-window') await alignToWindow(t.db, per, 250);
      const rl = new RateLimit(t.db, `refill-${algorithm}`, { limit: 2, per, algorithm });
      await rl.check('k');
      await rl.check('k');
      const denied = await rl.check('k');
      expect(denied.limited).toBe(true);
      expect(denied.retryAfterMs).toBeLessThanOrEqual(algorithm === 'sliding-window' ? 2 * per : per);
      await sleep(denied.retryAfterMs + 15);
      expect((await rl.check('k')).limited).toBe(false);
    });

    it('sets an expiry on every write, at the time the key becomes equivalent to absent', async () => {
      const per = 10_000;
      const rl = new RateLimit(t.db, `ttl-${algorithm}`, { limit: 4, per, algorithm });
      const key = rl.keyFor('k');
      const r = await rl.check('k');
      const now = await redisNowMs(t.db);
      const ttl = Number(await t.rawCommand(['PTTL', key], key));
      const windowEnd = per - (now % per);
      const expected: Record<RateLimitAlgorithm, number> = {
        'sliding-log': per,
        'fixed-window': windowEnd,
        'sliding-window': windowEnd + per,
        'token-bucket': per / 4,
        gcra: per / 4,
      };
      expect(ttl).toBeGreaterThan(expected[algorithm] - 1000);
      // PTTL is whole milliseconds while the window end read from TIME has microseconds: allow the rounding.
      expect(ttl).toBeLessThanOrEqual(Math.ceil(expected[algorithm]) + 1);
      expect(Math.abs(r.resetMs - expected[algorithm])).toBeLessThan(1000);
    });

    it('runs as one script whose SHA is what SCRIPT LOAD computes', async () => {
      const s = ALGORITHMS[algorithm].check;
      expect(await t.rawCommand(['SCRIPT', 'LOAD', s.source], t.key('x'))).toBe(s.sha);
    });

    it('rejects a cost above its capacity or not a positive integer, writing nothing', async () => {
      const rl = new RateLimit(t.db, `badcost-${algorithm}`, { limit: 3, algorithm });
      for (const cost of [0, -1, 1.5, Number.NaN, capacityOf(rl) + 1, '2' as unknown as number])
        await expect(rl.check('k', { cost })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(rl.check('')).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(await t.rawCommand(['EXISTS', rl.keyFor('k')], rl.keyFor('k'))).toBe(0);
    });
  });

  it('decides on Redis time: client clocks an hour fast or slow change nothing', async () => {
    const realNow = Date.now;
    const realPerf = performance.now.bind(performance);
    try {
      for (const algorithm of ALL) {
        if (algorithm === 'fixed-window' || algorithm === 'sliding-window') await alignToWindow(t.db, 60_000, 3000);
        const rl = new RateLimit(t.db, `skew-${algorithm}`, { limit: 3, per: '60s', algorithm });
        const seen = [];
        for (let i = 0; i < 5; i++) {
          const skew = (i % 2 ? -1 : 1) * 3_600_000;
          Date.now = () => realNow() + skew;
          performance.now = () => realPerf() + skew;
          seen.push(await rl.check('k'));
        }
        expect(seen.map((r) => r.limited)).toEqual([false, false, false, true, true]);
        for (const r of seen) expect(r.resetMs).toBeLessThanOrEqual(algorithm === 'sliding-window' ? 120_000 : 60_000);
        expect(seen[4].retryAfterMs).toBeLessThanOrEqual(algorithm === 'sliding-window' ? 120_000 : 60_000);
      }
    } finally {
      Date.now = realNow;
      performance.now = realPerf;
    }
  });

  it('keeps deciding exactly after the server loses its scripts (SCRIPT FLUSH on every node)', async () => {
    const limiters = ALL.map((algorithm) => new RateLimit(t.db, `flush-${algorithm}`, { limit: 2, per: '60s', algorithm }));
    await alignToWindow(t.db, 60_000, 3000);
    for (const rl of limiters) await rl.check('k');
    for (const node of await t.masters()) await node.sendCommand(['SCRIPT', 'FLUSH']);
    for (const rl of limiters) {
      expect(await rl.check('k')).toMatchObject({ limited: false, remaining: 0 });
      expect(await rl.check('k')).toMatchObject({ limited: true, remaining: 0 });
    }
  });

  it('sliding-window weighs the previous window by how much of it still overlaps', async () => {
    const per = 3_600_000;
    const rl = new RateLimit(t.db, 'weights', { limit: 100, per, algorithm: 'sliding-window' });
    const key = rl.keyFor('k');
    const now = await redisNowMs(t.db);
    const w = Math.floor(now / per);
    // The window before had 80 calls; this one had 10.
    await t.rawCommand(['HSET', key, 'w', String(w - 1), 'cur', '80', 'prev', '0'], key);
    const r1 = await rl.peek('k');
    const weight = 1 - (now % per) / per;
    expect(Math.abs(r1.remaining - Math.floor(100 - 80 * weight))).toBeLessThanOrEqual(1);
    await t.rawCommand(['HSET', key, 'w', String(w), 'cur', '10', 'prev', '80'], key);
    const r2 = await rl.peek('k');
    expect(Math.abs(r2.remaining - Math.floor(100 - 80 * weight - 10))).toBeLessThanOrEqual(1);
  });

  it('token-bucket and gcra allow a burst above the steady rate', async () => {
    for (const algorithm of ['token-bucket', 'gcra'] as const) {
      const rl = new RateLimit(t.db, `burst-${algorithm}`, { limit: 1, per: '10s', burst: 3, algorithm });
      const seen = [];
      for (let i = 0; i < 4; i++) seen.push(await rl.check('k'));
      expect(seen.map((r) => r.limited)).toEqual([false, false, false, true]);
      expect(seen[0]).toMatchObject({ limit: 3, remaining: 2 });
      // One unit comes back every 10 s.
      expect(seen[3].retryAfterMs).toBeGreaterThan(9000);
      expect(seen[3].retryAfterMs).toBeLessThanOrEqual(10_000);
      expect(seen[3].resetMs).toBeGreaterThan(29_000);
    }
  });

  it('raises WrongTypeError when a key holds another algorithm or type, changing nothing', async () => {
    const log = new RateLimit(t.db, 'mixed', { limit: 3 });
    await log.check('k');
    const key = log.keyFor('k');
    for (const algorithm of ['fixed-window', 'sliding-window', 'token-bucket', 'gcra'] as const) {
      const err = await new RateLimit(t.db, 'mixed', { limit: 3, algorithm }).check('k').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongTypeError);
      expect(err).toMatchObject({ key, actual: 'list' });
    }
    const fixed = new RateLimit(t.db, 'mixed2', { limit: 3, algorithm: 'fixed-window' });
    await fixed.check('k');
    for (const algorithm of ['sliding-window', 'token-bucket'] as const) {
      const err = await new RateLimit(t.db, 'mixed2', { limit: 3, algorithm }).peek('k').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongTypeError);
      expect((err as WrongTypeError).actual).toBe('hash of another algorithm');
    }
    expect(await t.rawCommand<string[]>(['LRANGE', key, '0', '-1'], key)).toHaveLength(1);
  });

  it('rejects invalid limits, durations, bursts and algorithms with InvalidArgumentError', () => {
    const bad: [string, object][] = [
      ['limit', { limit: 0 }],
      ['limit', { limit: -3 }],
      ['limit', { limit: 2.5 }],
      ['limit', { limit: Number.POSITIVE_INFINITY }],
      ['per', { per: 0 }],
      ['per', { per: -5 }],
      ['per', { per: '10 years' }],
      ['per', { per: Number.POSITIVE_INFINITY }],
      ['per', { per: 0.5 }],
      ['burst', { algorithm: 'gcra', burst: 0 }],
      ['burst', { algorithm: 'sliding-log', burst: 3 }],
      ['algorithm', { algorithm: 'leaky' }],
      ['algorithm', { algorithm: 'toString' }],
    ];
    for (const [field, o] of bad) {
      let err: unknown;
      try {
        new RateLimit(t.db, 'bad', o);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect(err).toMatchObject({ field });
    }
    expect(() => new RateLimit(t.db, '')).toThrow(InvalidArgumentError);
    expect(() => new RateLimit(t.db, 'x').rateLimited(() => 1, { cost: 9 })).toThrow(InvalidArgumentError);
  });
});
