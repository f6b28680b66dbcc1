import { take, type Bucket } from './token-bucket';

describe('a token bucket', () => {
  it('lets a burst through, then one message per interval', () => {
    let b: Bucket | undefined;
    const results: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      const r = take(b, 1000, 5, 1000);
      results.push(r.ok);
      b = r.bucket;
    }
    expect(results).toEqual([true, true, true, true, true, false, false]);
    expect(take(b, 1999, 5, 1000).ok).toBe(false);
    expect(take(b, 2000, 5, 1000).ok).toBe(true);
  });

  it('refills up to the burst only', () => {
    const { bucket } = take(undefined, 0, 3, 1000);
    let b = take(bucket, 1_000_000, 3, 1000).bucket;
    expect(b.tokens).toBe(2);
    b = take(b, 1_000_000, 3, 1000).bucket;
    expect(take(b, 1_000_000, 3, 1000).ok).toBe(true);
  });
});

describe('a token bucket of bytes', () => {
  it('takes what a message weighs, and refuses one heavier than what is left', () => {
    let b = take(undefined, 0, 1000, 1, 600).bucket;
    expect(b.tokens).toBe(400);
    const refused = take(b, 0, 1000, 1, 500);
    expect(refused.ok).toBe(false);
    b = refused.bucket;
    expect(b.tokens).toBe(400);
    expect(take(b, 100, 1000, 1, 500).ok).toBe(true);
  });
});
