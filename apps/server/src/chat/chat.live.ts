import { Injectable, type OnModuleInit } from '@nestjs/common';
import { readsMessage } from '@estrade/protocol';
import { CommandError } from '../meetings/command-error';
import { LiveChannel } from '../meetings/live-channel';

/** The chat on the live channel: older history (a read), and "typing…" (relayed, never logged). */
@Injectable()
export class ChatLive implements OnModuleInit {
  constructor(private readonly live: LiveChannel) {}

  onModuleInit() {
    this.live.onRequest('chat.history', ({ state, me }, { before, limit }) => {
      const mine = state.chat.filter((m) => readsMessage(m, me.id));
      const end = before ? mine.findIndex((m) => m.id === before) : mine.length;
      if (end < 0) throw new CommandError('not_found', 'No such message');
      const start = Math.max(0, end - limit);
      return { messages: mine.slice(start, end).reverse(), more: start > 0 };
    });

    this.live.onTransient('chat.typing', ({ me }, { to }) => ({
      to: to === null ? 'others' : [to],
      relay: { from: me.id, to },
    }));
  }
}
