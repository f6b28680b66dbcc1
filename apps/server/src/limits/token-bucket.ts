/**
 * A token bucket: `burst` messages at once, then one every `everyMs`. Pure: the caller keeps the
 * bucket and passes the time.
 */
export interface Bucket {
  tokens: number;
  at: number;
}

export function take(
  bucket: Bucket | undefined,
  now: number,
  burst: number,
  everyMs: number,
  cost = 1,
): { ok: boolean; bucket: Bucket } {
  const b = bucket ?? { tokens: burst, at: now };
  const tokens = Math.min(burst, b.tokens + (now - b.at) / everyMs);
  if (tokens < cost) return { ok: false, bucket: { tokens, at: now } };
  return { ok: true, bucket: { tokens: tokens - cost, at: now } };
}
