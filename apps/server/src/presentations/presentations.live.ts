import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandError } from '../meetings/command-error';
import { LiveChannel } from '../meetings/live-channel';
import { SessionsService } from '../sessions/sessions.service';
import { PresentationsService } from './presentations.service';

/**
 * Presentations on the live channel: the files token a client puts in file URLs, processing
 * progress, and the presenter's viewport while dragging (the end of a drag is a command).
 */
@Injectable()
export class PresentationsLive implements OnModuleInit {
  constructor(
    private readonly live: LiveChannel,
    private readonly presentations: PresentationsService,
    private readonly sessions: SessionsService,
  ) {}

  onModuleInit() {
    this.live.onRequest('presentation.access', ({ meetingId, me }) => ({
      access: this.sessions.issueFilesAccess(me.id, meetingId),
      limits: this.presentations.limits,
    }));

    this.presentations.onProgress((meetingIds, fileId, done, total) =>
      this.live.push(meetingIds, 'presentation.progress', { fileId, done, total }),
    );

    this.live.onTransient('slide.pan', ({ state, me }, { presentationId, viewport }) => {
      if (state.slides.current !== presentationId)
        throw new CommandError('not_found', 'This presentation is not on screen');
      return { to: 'others', relay: { from: me.id, presentationId, viewport } };
    });
  }
}
