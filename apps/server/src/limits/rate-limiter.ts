import type { Rate } from '@estrade/protocol';
import { take, type Bucket } from './token-bucket';

/**
 * Token buckets by key ("meeting/participant/kind", "address/join"...), in memory. A bucket that
 * has refilled completely is the same as none, so the sweep forgets it: memory follows the
 * active keys, not every key ever seen.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket & { full: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(Date.now()), 60_000);
    this.sweeper.unref();
  }

  /**
   * Takes one token (or `cost`: bytes, say); false when the bucket holds too few (the caller
   * refuses, nothing else happens).
   */
  take(key: string, rate: Rate, now = Date.now(), cost = 1): boolean {
    const { ok, bucket } = take(this.buckets.get(key), now, rate.burst, rate.everyMs, cost);
    // When this bucket will be full again, so the sweep may drop it.
    this.buckets.set(key, { ...bucket, full: now + (rate.burst - bucket.tokens) * rate.everyMs });
    return ok;
  }

  /** Milliseconds until this bucket holds a token again (0: now), for a refusal's Retry-After. */
  waitMs(key: string, rate: Rate, now = Date.now()): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const tokens = Math.min(rate.burst, b.tokens + (now - b.at) / rate.everyMs);
    return Math.max(0, Math.ceil((1 - tokens) * rate.everyMs));
  }

  sweep(now: number) {
    for (const [key, b] of this.buckets) if (b.full <= now) this.buckets.delete(key);
  }

  get size() {
    return this.buckets.size;
  }

  close() {
    clearInterval(this.sweeper);
  }
}
