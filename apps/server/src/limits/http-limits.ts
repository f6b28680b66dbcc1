import { Inject, Injectable } from '@nestjs/common';
import type { Rate } from '@estrade/protocol';
import { RUNTIME, type Runtime } from '../config/config';
import { CommandError } from '../meetings/command-error';
import { HTTP_RATES, type HttpRate, type HttpRateKind } from './http-rates';
import { RateLimiter } from './rate-limiter';

const WHAT: Record<HttpRateKind, string> = {
  read: 'file requests',
  download: 'downloads',
  export: 'exports',
  upload: 'uploads',
  web: 'requests',
  health: 'health checks',
  webhook: 'webhooks',
  api: 'requests',
};

/** `too_fast`, with how long until the next request would be taken (the HTTP answer's Retry-After). */
export class TooFast extends CommandError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super('too_fast', message);
  }
}

/** The HTTP routes' token buckets: one per participant and kind, one per address and kind. */
@Injectable()
export class HttpLimits {
  private readonly addressRates: Record<HttpRateKind, Rate>;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    const scale = runtime.config.limits.httpAddressScale;
    this.addressRates = Object.fromEntries(
      Object.entries(HTTP_RATES).map(([kind, { address }]) => [
        kind,
        { burst: Math.max(1, Math.round(address.burst * scale)), everyMs: address.everyMs / scale },
      ]),
    ) as Record<HttpRateKind, Rate>;
  }

  /**
   * Takes one request of `kind`, or throws TooFast. The participant's bucket comes first, so a
   * participant's flood spends only their own share of the address's (their classmates behind
   * the same router keep theirs); a request without a valid token has only the address's.
   */
  take(kind: HttpRateKind, address: string, participant: { meetingId: string; participantId: string } | null) {
    const rates: HttpRate = HTTP_RATES[kind];
    if (participant && rates.participant) {
      const key = `${participant.meetingId}/${participant.participantId}/http:${kind}`;
      this.one(key, rates.participant, `Too many ${WHAT[kind]}`);
    }
    this.one(`${address}/http:${kind}`, this.addressRates[kind], `Too many ${WHAT[kind]} from this address`);
  }

  private one(key: string, rate: Rate, what: string) {
    if (this.limiter.take(key, rate)) return;
    const ms = this.limiter.waitMs(key, rate);
    throw new TooFast(`${what}: try again in ${Math.max(1, Math.ceil(ms / 1000))} s`, ms);
  }
}
