import { Global, Module, type OnModuleDestroy } from '@nestjs/common';
import { RateLimiter } from './rate-limiter';

/** One set of token buckets for the process: commands, socket messages, joins, room creation. */
@Global()
@Module({ providers: [{ provide: RateLimiter, useFactory: () => new RateLimiter() }], exports: [RateLimiter] })
export class LimitsModule implements OnModuleDestroy {
  constructor(private readonly limiter: RateLimiter) {}

  onModuleDestroy() {
    this.limiter.close();
  }
}
