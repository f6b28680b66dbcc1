import { Global, Module, type OnModuleDestroy } from '@nestjs/common';
import { HttpLimits } from './http-limits';
import { RateLimiter } from './rate-limiter';

/** One set of token buckets for the process: commands, socket messages, joins, room creation, HTTP routes. */
@Global()
@Module({
  providers: [{ provide: RateLimiter, useFactory: () => new RateLimiter() }, HttpLimits],
  exports: [RateLimiter, HttpLimits],
})
export class LimitsModule implements OnModuleDestroy {
  constructor(private readonly limiter: RateLimiter) {}

  onModuleDestroy() {
    this.limiter.close();
  }
}
