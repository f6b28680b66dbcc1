import { Injectable } from '@nestjs/common';
import type { layout } from '@estrade/protocol';
import type { SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';

/** The layout a moderator pushes to everyone (presentation or cameras first, someone pinned). */
@Injectable()
export class LayoutCommands {
  handlers(): SliceHandlers<typeof layout> {
    return {
      'layout.push': ({ state }, cmd) => {
        const pinned = cmd.layout.pinned;
        if (pinned !== null && !state.participants[pinned]?.present) {
          throw new CommandError('not_found', 'No such participant to pin');
        }
        const same = state.pushedLayout?.focus === cmd.layout.focus && state.pushedLayout.pinned === cmd.layout.pinned;
        return { events: same ? [] : [{ type: 'layout.pushed', layout: cmd.layout }] };
      },
      'layout.release': ({ state }) => ({ events: state.pushedLayout ? [{ type: 'layout.released' }] : [] }),
    };
  }
}
