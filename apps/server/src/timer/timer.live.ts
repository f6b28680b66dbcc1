import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LiveChannel } from '../meetings/live-channel';

/** The server's clock on the live channel: clients show timers as the server counts them. */
@Injectable()
export class TimerLive implements OnModuleInit {
  constructor(private readonly live: LiveChannel) {}

  onModuleInit() {
    this.live.onRequest('clock', () => ({ now: Date.now() }));
  }
}
