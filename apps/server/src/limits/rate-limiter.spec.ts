import { RateLimiter } from './rate-limiter';

describe('the rate limiter', () => {
  const limiter = new RateLimiter();
  afterAll(() => limiter.close());

  it('keeps one bucket per key', () => {
    const rate = { burst: 2, everyMs: 1000 };
    expect([1, 2, 3].map(() => limiter.take('a', rate, 0))).toEqual([true, true, false]);
    expect(limiter.take('b', rate, 0)).toBe(true);
    expect(limiter.take('a', rate, 1000)).toBe(true);
  });

  it('says how long until the next token', () => {
    const rate = { burst: 2, everyMs: 1000 };
    expect(limiter.waitMs('w', rate, 0)).toBe(0);
    limiter.take('w', rate, 0);
    limiter.take('w', rate, 0);
    expect(limiter.take('w', rate, 250)).toBe(false);
    expect(limiter.waitMs('w', rate, 250)).toBe(750);
    expect(limiter.waitMs('w', rate, 1000)).toBe(0);
  });

  it('forgets buckets that have refilled, so memory follows the active keys', () => {
    limiter.sweep(Number.MAX_SAFE_INTEGER);
    const rate = { burst: 3, everyMs: 100 };
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`, rate, 10_000);
    const before = limiter.size;
    limiter.sweep(10_000 + 99);
    expect(limiter.size).toBe(before);
    limiter.sweep(10_000 + 100);
    expect(limiter.size).toBe(0);
  });
});
