import { Injectable, type OnModuleInit } from '@nestjs/common';
import { fromBase64, toBase64 } from '@estrade/protocol';
import { CommandError } from '../meetings/command-error';
import { LiveChannel } from '../meetings/live-channel';
import { MeetingsService } from '../meetings/meetings.service';
import { NotesDocuments } from './notes-documents';

/**
 * The shared notes on the live channel: a client syncs, then sends its updates; the server
 * applies and stores each, then relays it to the whole meeting in the next batch (the sender
 * skips its own). Who may edit is the channel's business (the shared-notes lock).
 */
@Injectable()
export class NotesLive implements OnModuleInit {
  constructor(
    private readonly live: LiveChannel,
    private readonly notes: NotesDocuments,
    private readonly meetings: MeetingsService,
  ) {}

  onModuleInit() {
    this.live.onRequest('notes.sync', async ({ meetingId }, body) => {
      const out = await this.notes.sync(meetingId, decode(body.stateVector));
      return { update: toBase64(out.update), stateVector: toBase64(out.stateVector) };
    });
    this.live.onTransient('notes.update', async ({ meetingId, me }, body) => {
      await this.notes.apply(meetingId, decode(body.update));
      return { to: 'others', relay: { from: me.id, update: body.update } };
    });
    this.live.onTransient('notes.awareness', ({ me }, body) => ({
      to: 'others',
      relay: { from: me.id, update: body.update },
    }));
    this.meetings.onEvents((meetingId, events) => {
      if (events.some((e) => e.event.type === 'meeting.ended')) void this.notes.forget(meetingId);
    });
    // The notes leave memory with their meeting (they are read back from PostgreSQL when needed).
    this.meetings.onIdle((meetingId) => this.notes.forget(meetingId));
  }
}

function decode(text: string): Uint8Array {
  try {
    return fromBase64(text);
  } catch {
    throw new CommandError('malformed', 'Not base64');
  }
}
