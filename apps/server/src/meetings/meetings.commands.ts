import { Injectable } from '@nestjs/common';
import type { lifecycle } from '@estrade/protocol';
import { type SliceHandlers } from './command-bus';

@Injectable()
export class MeetingsCommands {
  handlers(): SliceHandlers<typeof lifecycle> {
    return {
      'meeting.end': (_ctx, cmd) => ({
        events: [{ type: 'meeting.ended', roomClosed: cmd.closeRoom, reason: 'moderator' }],
      }),
    };
  }
}
