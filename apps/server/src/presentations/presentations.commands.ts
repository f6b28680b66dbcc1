import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { MeetingState, presentations } from '@estrade/protocol';
import { type SliceHandlers } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { PresentationsService } from './presentations.service';

/** Presentations in a meeting: add an upload, switch, remove, allow downloads, turn pages, zoom. */
@Injectable()
export class PresentationsCommands {
  constructor(private readonly presentations: PresentationsService) {}

  handlers(): SliceHandlers<typeof presentations> {
    return {
      'presentation.add': ({ meetingId, actor }, cmd) => {
        const upload = this.presentations.upload(cmd.uploadId, meetingId, actor.id);
        if (!upload) throw new CommandError('not_found', 'No such upload');
        const presentationId = randomUUID();
        upload.presentationId = presentationId;
        const { fileId, format, pages } = upload.file;
        this.presentations.watch(fileId, meetingId);
        const processed = this.presentations.isProcessed(fileId);
        return {
          events: [
            {
              type: 'presentation.added',
              presentationId,
              fileId,
              name: upload.name,
              format,
              pages,
              processed,
              isDefault: false,
            },
          ],
        };
      },

      'presentation.show': ({ state }, cmd) => {
        find(state, cmd.presentationId);
        return { events: [{ type: 'presentation.shown', presentationId: cmd.presentationId }] };
      },

      'presentation.remove': ({ state }, cmd) => {
        find(state, cmd.presentationId);
        return { events: [{ type: 'presentation.removed', presentationId: cmd.presentationId }] };
      },

      'presentation.set-downloadable': ({ state }, cmd) => {
        find(state, cmd.presentationId);
        const { presentationId, downloadable } = cmd;
        return { events: [{ type: 'presentation.downloadable-changed', presentationId, downloadable }] };
      },

      'slide.goto': ({ state }, cmd) => {
        const p = onScreen(state, cmd.presentationId);
        if (cmd.page > p.pages) throw new CommandError('not_found', `No page ${cmd.page}: the document has ${p.pages}`);
        return { events: [{ type: 'slide.changed', presentationId: p.id, page: cmd.page }] };
      },

      'slide.viewport': ({ state }, cmd) => {
        const p = onScreen(state, cmd.presentationId);
        return { events: [{ type: 'slide.viewport-changed', presentationId: p.id, viewport: cmd.viewport }] };
      },
    };
  }
}

function find(state: MeetingState, id: string) {
  const p = state.slides.presentations.find((x) => x.id === id);
  if (!p) throw new CommandError('not_found', 'No such presentation');
  return p;
}

/** Pages turn and zoom only on the presentation everyone sees. */
function onScreen(state: MeetingState, id: string) {
  const p = find(state, id);
  if (state.slides.current !== id) throw new CommandError('not_found', 'This presentation is not on screen');
  return p;
}
