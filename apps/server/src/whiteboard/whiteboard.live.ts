import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LiveChannel } from '../meetings/live-channel';
import { annotatedPage } from './annotated-page';

/**
 * The whiteboard on the live channel: strokes while they are drawn and drawers' pointers,
 * relayed in batches and never logged. Who may send them is the channel's rule (drawers, and the
 * whiteboard lock); here, which page, and who sees a viewer's pointer.
 */
@Injectable()
export class WhiteboardLive implements OnModuleInit {
  constructor(private readonly live: LiveChannel) {}

  onModuleInit() {
    this.live.onTransient('annotation.draft', ({ state, me }, draft) => {
      annotatedPage(state, me, draft);
      return { to: 'others', relay: { from: me.id, ...draft } };
    });

    this.live.onTransient('whiteboard.cursor', ({ state, me }, cursor) => {
      annotatedPage(state, me, cursor);
      const relay = { from: me.id, ...cursor };
      // Under the cursors lock a viewer's pointer reaches only the presenter and moderators.
      const aViewer = me.role !== 'moderator' && state.presenterId !== me.id;
      if (!aViewer || !state.locks.otherViewersCursors) return { to: 'others', relay };
      const to = Object.values(state.participants)
        .filter((p) => p.present && p.id !== me.id && (p.role === 'moderator' || p.id === state.presenterId))
        .map((p) => p.id);
      return to.length ? { to, relay } : null;
    });
  }
}
