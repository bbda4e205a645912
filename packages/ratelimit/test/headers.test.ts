import { rateLimitHeaders } from '../src/headers';

const policy = { algorithm: 'gcra' as const, limit: 10, perMs: 60_000, capacity: 20 };

describe('rateLimitHeaders', () => {
  it('writes draft-6 fields in whole seconds, rounding up', () => {
    expect(rateLimitHeaders('draft-6', policy, { limited: false, limit: 20, remaining: 7, resetMs: 1001, retryAfterMs: 0 })).toEqual([
      ['RateLimit-Policy', '20;w=60'],
      ['RateLimit-Limit', '20'],
      ['RateLimit-Remaining', '7'],
      ['RateLimit-Reset', '2'],
    ]);
  });

  it('writes the combined draft-7 field and Retry-After (at least 1 s) when limited', () => {
    expect(rateLimitHeaders('draft-7', policy, { limited: true, limit: 20, remaining: 0, resetMs: 30_000, retryAfterMs: 200 })).toEqual([
      ['RateLimit-Policy', '20;w=60'],
      ['RateLimit', 'limit=20, remaining=0, reset=30'],
      ['Retry-After', '1'],
    ]);
  });

  it('writes only Retry-After with headers: false', () => {
    expect(rateLimitHeaders(false, policy, { limited: false, limit: 20, remaining: 3, resetMs: 5, retryAfterMs: 0 })).toEqual([]);
    expect(rateLimitHeaders(false, policy, { limited: true, limit: 20, remaining: 0, resetMs: 5, retryAfterMs: 4500 })).toEqual([['Retry-After', '5']]);
  });
});
