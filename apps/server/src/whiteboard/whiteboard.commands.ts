import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { WHITEBOARD_LIMITS, type whiteboard } from '@estrade/protocol';
import type { SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { annotatedPage as page } from './annotated-page';

/**
 * The whiteboard's commands. Who may draw, and whose shapes they may touch, is the permission
 * table's; here: the page must exist (a viewer's, be the one on screen), ids must be known or
 * new, and a page holds at most 5,000 annotations.
 */
@Injectable()
export class WhiteboardCommands {
  handlers(): SliceHandlers<typeof whiteboard> {
    return {
      'annotation.add': ({ state, actor }, cmd) => {
        const on = page(state, actor, cmd);
        // A chart shows a poll's results: only who may publish them puts one back (an undone erasure).
        if (
          cmd.shapes.some((s) => s.kind === 'chart') &&
          !(actor.role === 'moderator' || state.presenterId === actor.id)
        ) {
          throw new CommandError('forbidden', 'Only the presenter and moderators put poll results on a page');
        }
        const ids = new Set(on.map((a) => a.id));
        for (const s of cmd.shapes) {
          if (ids.has(s.id)) throw new CommandError('conflict', `An annotation ${s.id} is already on this page`);
          ids.add(s.id);
        }
        if (ids.size > WHITEBOARD_LIMITS.shapesPerPage) {
          throw new CommandError(
            'too_large',
            `A page holds at most ${WHITEBOARD_LIMITS.shapesPerPage} annotations: erase some first`,
          );
        }
        const annotations = cmd.shapes.map((s) => ({ ...s, author: actor.id }));
        return {
          events: [{ type: 'annotations.added', presentationId: cmd.presentationId, page: cmd.page, annotations }],
        };
      },
      'annotation.update': ({ state, actor }, cmd) => {
        const before = page(state, actor, cmd).find((a) => a.id === cmd.shape.id);
        if (!before) throw new CommandError('not_found', 'No such annotation on this page');
        if (before.kind !== cmd.shape.kind) throw new CommandError('malformed', 'An annotation keeps its kind');
        // A chart moves and resizes; its figures are the poll's.
        if (before.chart && !isDeepStrictEqual(before.chart, cmd.shape.chart)) {
          throw new CommandError('malformed', "A chart's results do not change: only its place and size do");
        }
        return {
          events: [
            { type: 'annotation.updated', presentationId: cmd.presentationId, page: cmd.page, shape: cmd.shape },
          ],
        };
      },
      'annotation.remove': ({ state, actor }, cmd) => {
        const on = new Set(page(state, actor, cmd).map((a) => a.id));
        if (!cmd.ids.every((id) => on.has(id))) throw new CommandError('not_found', 'No such annotation on this page');
        return {
          events: [
            {
              type: 'annotations.removed',
              presentationId: cmd.presentationId,
              page: cmd.page,
              ids: [...new Set(cmd.ids)],
            },
          ],
        };
      },
      'annotation.clear-mine': ({ state, actor }, cmd) => {
        const mine = page(state, actor, cmd).some((a) => a.author === actor.id);
        return {
          events: mine
            ? [{ type: 'annotations.cleared', presentationId: cmd.presentationId, page: cmd.page, author: actor.id }]
            : [],
        };
      },
      'annotation.clear-all': ({ state, actor }, cmd) => ({
        events: page(state, actor, cmd).length
          ? [{ type: 'annotations.cleared', presentationId: cmd.presentationId, page: cmd.page, author: null }]
          : [],
      }),
      'whiteboard.set-multi-user': ({ state }, cmd) => ({
        events:
          state.whiteboard.multiUser === cmd.enabled
            ? []
            : [{ type: 'whiteboard.multi-user-changed', enabled: cmd.enabled }],
      }),
    };
  }
}
