import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import {
  inkOverflow,
  shapeWeight,
  WHITEBOARD_LIMITS,
  type Annotation,
  type Rate,
  type Whiteboard,
  type whiteboard,
} from '@estrade/protocol';
import { RateLimiter } from '../limits/rate-limiter';
import type { SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { annotatedPage as page } from './annotated-page';

const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
const OVERFLOW = {
  'page-points': `A page holds at most ${WHITEBOARD_LIMITS.pointsPerPage.toLocaleString('en')} points of ink: erase some first`,
  'page-bytes': `A page holds at most ${kb(WHITEBOARD_LIMITS.bytesPerPage)} of annotations: erase some first`,
  'meeting-bytes': `The whiteboard of this meeting is full (${kb(WHITEBOARD_LIMITS.bytesPerMeeting)} of annotations): clear pages no longer needed`,
} as const;

/** Ink as a token bucket of bytes: `everyMs` is the time one byte takes to come back. */
const INK: Rate = { burst: WHITEBOARD_LIMITS.ink.burst, everyMs: 1000 / WHITEBOARD_LIMITS.ink.perSecond };

/**
 * The whiteboard's commands. Who may draw, and whose shapes they may touch, is the permission
 * table's; here: the page must exist (a viewer's, be the one on screen), ids must be known or
 * new, and a page holds at most 5,000 annotations.
 */
@Injectable()
export class WhiteboardCommands {
  constructor(private readonly limiter: RateLimiter) {}

  /**
   * The page after a change must fit the page's and the meeting's limits, and its new bytes the
   * author's ink allowance (many legal commands must not add up to an illegal whiteboard).
   */
  private fits(
    meetingId: string,
    actorId: string,
    w: Whiteboard,
    before: Annotation[],
    after: Annotation[],
    added: number,
  ) {
    const overflow = inkOverflow(w, before, after);
    if (overflow) throw new CommandError('too_large', OVERFLOW[overflow]);
    if (added > 0 && !this.limiter.take(`${meetingId}/${actorId}/ink`, INK, Date.now(), added)) {
      throw new CommandError('too_fast', 'Drawing too much too quickly: wait a moment');
    }
  }

  handlers(): SliceHandlers<typeof whiteboard> {
    return {
      'annotation.add': ({ meetingId, state, actor }, cmd) => {
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
        const added = annotations.reduce((n, a) => n + shapeWeight(a).bytes, 0);
        this.fits(meetingId, actor.id, state.whiteboard, on, [...on, ...annotations], added);
        return {
          events: [{ type: 'annotations.added', presentationId: cmd.presentationId, page: cmd.page, annotations }],
        };
      },
      'annotation.update': ({ meetingId, state, actor }, cmd) => {
        const on = page(state, actor, cmd);
        const before = on.find((a) => a.id === cmd.shape.id);
        if (!before) throw new CommandError('not_found', 'No such annotation on this page');
        if (before.kind !== cmd.shape.kind) throw new CommandError('malformed', 'An annotation keeps its kind');
        // A chart moves and resizes; its figures are the poll's.
        if (before.chart && !isDeepStrictEqual(before.chart, cmd.shape.chart)) {
          throw new CommandError('malformed', "A chart's results do not change: only its place and size do");
        }
        const after = { ...cmd.shape, author: before.author };
        const grown = shapeWeight(after).bytes - shapeWeight(before).bytes;
        this.fits(
          meetingId,
          actor.id,
          state.whiteboard,
          on,
          on.map((a) => (a === before ? after : a)),
          grown,
        );
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
