/**
 * Wrong room passwords, counted per address and per room. After a few free mistakes each new
 * attempt must wait a delay that doubles with every failure (capped); an attempt inside the
 * delay is refused without checking the password at all, so guessing costs the guesser time
 * and costs the server nothing. Pure: the caller passes the time.
 */
export interface AttemptPolicy {
  /** Failures allowed before delays start. */
  free: number;
  /** The first delay; each further failure doubles it. */
  baseMs: number;
  maxMs: number;
  /** A key with no failure for this long starts again from zero. */
  forgetMs: number;
}

interface Failures {
  count: number;
  last: number;
}

export class PasswordAttempts {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly policies: { address: AttemptPolicy; room: AttemptPolicy }) {}

  /**
   * Milliseconds to wait before the next attempt from this address on this room (0: go ahead);
   * with no room, the address's own delay only.
   */
  waitMs(address: string, roomId: string | null, now: number): number {
    return Math.max(
      this.wait(`a:${address}`, this.policies.address, now),
      roomId === null ? 0 : this.wait(`r:${roomId}`, this.policies.room, now),
    );
  }

  failed(address: string, roomId: string, now: number) {
    this.count(`a:${address}`, this.policies.address, now);
    this.count(`r:${roomId}`, this.policies.room, now);
  }

  /** The right password clears this address's record (a room's record only fades with time). */
  succeeded(address: string) {
    this.failures.delete(`a:${address}`);
  }

  sweep(now: number) {
    const forget = Math.max(this.policies.address.forgetMs, this.policies.room.forgetMs);
    for (const [k, f] of this.failures) if (now - f.last > forget) this.failures.delete(k);
  }

  private wait(key: string, policy: AttemptPolicy, now: number): number {
    const f = this.current(key, policy, now);
    if (!f || f.count < policy.free) return 0;
    const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** (f.count - policy.free));
    return Math.max(0, f.last + delay - now);
  }

  private count(key: string, policy: AttemptPolicy, now: number) {
    const f = this.current(key, policy, now);
    this.failures.set(key, { count: (f?.count ?? 0) + 1, last: now });
  }

  private current(key: string, policy: AttemptPolicy, now: number): Failures | undefined {
    const f = this.failures.get(key);
    return f && now - f.last <= policy.forgetMs ? f : undefined;
  }
}
