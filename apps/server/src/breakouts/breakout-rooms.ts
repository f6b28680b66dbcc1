import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import {
  capturedName,
  currentPresentation,
  DEFAULT_SETTINGS,
  emptiestRoom,
  mayEnterRoom,
  NOTES_FRAGMENT,
  roomOf,
  type BreakoutRoom,
  type BreakoutSession,
  type LoggedEvent,
  type MeetingEvent,
  type MeetingState,
  type Participant,
} from '@estrade/protocol';
import { randomUUID } from 'node:crypto';
import { KeyedQueue } from '../limits/keyed-queue';
import { LivekitService } from '../livekit/livekit.service';
import { logger } from '../logging/logger';
import { CommandBus, type Emit } from '../meetings/command-bus';
import { CommandError } from '../meetings/command-error';
import { MeetingsService } from '../meetings/meetings.service';
import { NotesDocuments } from '../notes/notes-documents';
import { notesText } from '../notes/notes-export';
import { NotesPdf } from '../notes/notes-pdf';
import { PresentationsService } from '../presentations/presentations.service';
import { SessionsService } from '../sessions/sessions.service';
import { WhiteboardExportService } from '../whiteboard/whiteboard-export.service';

/** A room's LiveKit room outlives a moment with nobody in it (everyone reloading). */
const EMPTY_ROOM_SECONDS = 10 * 60;

/**
 * The breakout rooms' own meetings: opened when the main meeting's log says so, joined through
 * the main meeting (who may enter which room is the main state's to say), kept in step with it
 * (who is in which room, roles, moves, messages), and closed with their work brought back.
 * Everything goes through the bus, as system events of the meeting concerned.
 */
@Injectable()
export class BreakoutRooms implements OnModuleInit, OnApplicationBootstrap {
  /** One capture at a time per main meeting (the end and a moderator's request may meet). */
  private readonly captures = new KeyedQueue(100);

  constructor(
    private readonly meetings: MeetingsService,
    private readonly bus: CommandBus,
    private readonly sessions: SessionsService,
    private readonly livekit: LivekitService,
    private readonly presentations: PresentationsService,
    private readonly notes: NotesDocuments,
    private readonly notesPdf: NotesPdf,
    private readonly whiteboards: WhiteboardExportService,
  ) {}

  onModuleInit() {
    this.meetings.onEvents((meetingId, events, state) =>
      state.breakoutOf
        ? this.fromRoom(meetingId, state.breakoutOf.parentId, events, state)
        : this.fromMain(meetingId, events, state),
    );
  }

  /** Rooms whose breakouts ended while the server was down (or whose main meeting ended) are closed. */
  async onApplicationBootstrap() {
    for (const id of await this.meetings.runningMeetingIds()) {
      const { state } = await this.meetings.state(id);
      if (!state.breakoutOf) continue;
      const main = await this.meetings.state(state.breakoutOf.parentId).catch(() => null);
      if (!main || main.state.endedAt || !main.state.breakouts?.rooms.some((r) => r.id === id)) {
        await this.close(id).catch((err) =>
          logger.warn({ err: String(err), meetingId: id }, 'could not close a breakout room'),
        );
      }
    }
  }

  /**
   * Into a room: the main meeting first logs that this person is there (from then on the main
   * room's media is closed to them), then the room's meeting logs them joining; the reply is a
   * session for the room's meeting. A student may only enter their own room (or any, when
   * students choose).
   */
  async join(mainId: string, me: Participant, roomId: string): Promise<BreakoutSession> {
    const { state } = await this.meetings.state(mainId);
    if (state.breakoutOf) throw new CommandError('forbidden', 'Ask from the main room');
    const room = this.allowed(state, me, roomId);
    // Opened when the rooms started (a reaction); opened here if that reaction has not run yet.
    let inside = (await this.meetings.state(roomId)).state;
    if (!inside.settings) {
      await this.open(mainId, room, state);
      inside = (await this.meetings.state(roomId)).state;
    }
    if (inside.endedAt) throw new CommandError('meeting_ended', 'This breakout room has closed');
    if (inside.banned.participants.includes(me.id)) {
      throw new CommandError('banned', 'A moderator has removed you from this breakout room');
    }
    const previous = await this.bus.system(mainId, (s) => {
      const r = this.allowed(s, me, roomId);
      const b = s.breakouts!;
      const before = b.inRoom[me.id] ?? null;
      const events: Emit[] = [];
      if (b.freeChoice && me.role !== 'moderator' && b.assigned[me.id] !== r.id) {
        events.push({ actor: me.id, event: { type: 'breakouts.assigned', participantId: me.id, roomId: r.id } });
      }
      if (before !== r.id) {
        events.push({ actor: me.id, event: { type: 'breakouts.entered', participantId: me.id, roomId: r.id } });
      }
      return { events, result: before };
    });
    if (previous && previous !== roomId) await this.putOut(previous, me.id, 'left');
    await this.bus.system(roomId, (s) => {
      if (s.endedAt) throw new CommandError('meeting_ended', 'This breakout room has closed');
      if (s.banned.participants.includes(me.id)) {
        throw new CommandError('banned', 'A moderator has removed you from this breakout room');
      }
      if (s.participants[me.id]?.present) return { events: [] };
      return {
        events: [
          {
            actor: me.id,
            event: {
              type: 'participant.joined',
              participantId: me.id,
              name: me.name,
              role: me.role,
              audioMode: me.audioMode,
            },
          },
          // The first one in presents: the group can turn pages and draw from the start.
          ...(s.presenterId
            ? []
            : [{ actor: me.id, event: { type: 'presenter.changed' as const, participantId: me.id } }]),
        ],
      };
    });
    return { meetingId: roomId, participantId: me.id, ...this.sessions.issue(me.id, roomId) };
  }

  /** Back to the main room: moderators visiting (students go back when their room closes). */
  async leave(mainId: string, me: Participant): Promise<Record<string, never>> {
    const { state } = await this.meetings.state(mainId);
    const room = roomOf(state, me.id);
    if (!room) throw new CommandError('not_found', 'You are not in a breakout room');
    if (me.role !== 'moderator' && state.breakouts!.assigned[me.id]) {
      throw new CommandError('forbidden', 'Your breakout room is still open: you will be back when it closes');
    }
    await this.putOut(room.id, me.id, 'left');
    await this.bus.system(mainId, (s) => ({
      events:
        s.breakouts?.inRoom[me.id] === room.id
          ? [{ actor: me.id, event: { type: 'breakouts.exited', participantId: me.id, roomId: room.id } }]
          : [],
    }));
    // The room's own report of the leaving may be the one being written: the reply waits for it,
    // so the main room's media is theirs again when they hear back.
    await this.meetings.exclusive(mainId, async () => undefined);
    return {};
  }

  private allowed(state: MeetingState, me: Participant, roomId: string): BreakoutRoom {
    const verdict = mayEnterRoom(state, me, roomId);
    if (verdict === 'not_found') throw new CommandError('not_found', 'No such breakout room');
    if (verdict === 'forbidden') throw new CommandError('forbidden', 'This is not your breakout room');
    return state.breakouts!.rooms.find((r) => r.id === roomId)!;
  }

  /**
   * Starts a room's log as any meeting's starts (settings, the default deck), says whose room it
   * is, lets everyone draw, and shows a copy of the main room's presentation if asked. Once only.
   */
  private async open(mainId: string, room: BreakoutRoom, main: MeetingState): Promise<void> {
    const { roomId } = await this.meetings.state(mainId);
    await this.meetings.openChild({ id: mainId, roomId }, room);
    const shown = main.breakouts?.content === 'presentation' ? currentPresentation(main.slides) : null;
    await this.bus.system(room.id, (s) => {
      if (s.settings) return { events: [] };
      const copy = shown && !shown.isDefault ? { ...shown, id: randomUUID() } : null;
      if (copy) this.presentations.watch(copy.fileId, room.id);
      const events: MeetingEvent[] = [
        {
          type: 'settings.changed',
          settings: { ...DEFAULT_SETTINGS, joinMuted: main.settings?.joinMuted ?? false },
          endsAt: null,
        },
        this.presentations.defaultDeckEvent(),
        { type: 'breakout.opened', parentId: mainId, number: room.number, name: room.name },
        { type: 'whiteboard.multi-user-changed', enabled: true },
        ...(copy
          ? ([
              {
                type: 'presentation.added',
                presentationId: copy.id,
                fileId: copy.fileId,
                name: copy.name,
                format: copy.format,
                pages: copy.pages,
                processed: copy.processed,
                isDefault: false,
              },
              { type: 'presentation.shown', presentationId: copy.id },
            ] satisfies MeetingEvent[])
          : []),
      ];
      return { events };
    });
  }

  /** Takes someone out of a room's meeting; `removed` also keeps their old session from coming back. */
  private putOut(roomId: string, participantId: string, reason: 'left' | 'removed') {
    return this.bus.system(roomId, (s) => {
      const p = s.participants[participantId];
      if (!p || s.endedAt || p.leftReason === 'removed' || (!p.present && p.leftReason === reason))
        return { events: [] };
      return { events: [{ type: 'participant.left', participantId, reason }] };
    });
  }

  /** What happens in a room that the main meeting must know: who is in it. */
  private async fromRoom(roomId: string, mainId: string, events: LoggedEvent[], state: MeetingState) {
    for (const { event } of events) {
      if (event.type === 'participant.left') {
        await this.bus.system(mainId, (s) => ({
          events:
            s.breakouts?.inRoom[event.participantId] === roomId
              ? [{ type: 'breakouts.exited', participantId: event.participantId, roomId }]
              : [],
        }));
        // Someone else presents when the presenter goes, so the group keeps its pages.
        if (!state.presenterId && !state.endedAt) {
          const next = Object.values(state.participants).find((p) => p.present);
          if (next) {
            await this.bus.system(roomId, (s) =>
              s.presenterId || !s.participants[next.id]?.present || s.endedAt
                ? { events: [] }
                : { events: [{ type: 'presenter.changed', participantId: next.id }] },
            );
          }
        }
      }
      if (event.type === 'participant.joined') {
        // Back after a lapse (a reload): in the room again, if still allowed there.
        const p = state.participants[event.participantId];
        await this.bus.system(mainId, (s) =>
          p && s.breakouts?.inRoom[p.id] !== roomId && mayEnterRoom(s, p, roomId) === 'allowed' && !s.endedAt
            ? { events: [{ type: 'breakouts.entered', participantId: p.id, roomId }] }
            : { events: [] },
        );
      }
    }
  }

  /** Reactions to the main meeting's log. */
  private async fromMain(mainId: string, events: LoggedEvent[], state: MeetingState) {
    for (const { event, actor } of events) {
      switch (event.type) {
        case 'breakouts.started':
          for (const room of event.rooms) {
            await this.open(mainId, room, state);
            await this.livekit
              .openRoom(room.id, EMPTY_ROOM_SECONDS)
              .catch((err) =>
                logger.warn(
                  { err: String(err), meetingId: room.id },
                  'could not open a LiveKit room for a breakout room',
                ),
              );
          }
          break;
        case 'breakouts.assigned':
          // Moved (or a new choice): out of every other room's meeting for good, so an old
          // session of another room cannot bring them back there.
          for (const room of state.breakouts?.rooms ?? []) {
            if (room.id !== event.roomId) await this.putOut(room.id, event.participantId, 'removed');
          }
          break;
        case 'breakouts.message-sent': {
          const from = (actor && state.participants[actor]?.name) || '';
          for (const room of state.breakouts?.rooms ?? []) {
            await this.bus.system(room.id, (s) => ({
              events: s.endedAt ? [] : [{ type: 'breakout.message', from, text: event.text }],
            }));
          }
          break;
        }
        case 'breakouts.capture-requested':
          if (state.breakouts) await this.capture(mainId, state.breakouts.rooms, state.breakouts.language);
          break;
        case 'breakouts.ended': {
          const rooms = await this.meetings.runningChildren(mainId);
          if (event.capture) await this.capture(mainId, rooms, event.language);
          for (const r of rooms) await this.close(r.id);
          break;
        }
        case 'meeting.ended':
          for (const r of await this.meetings.runningChildren(mainId)) await this.close(r.id);
          break;
        case 'participant.joined': {
          // A late joiner: invited to the emptiest room, if the moderator asked for it.
          const b = state.breakouts;
          if (b?.inviteLateJoiners && !b.freeChoice && event.role === 'viewer' && !b.assigned[event.participantId]) {
            await this.bus.system(mainId, (s) => {
              const now = s.breakouts;
              const room = now && !now.assigned[event.participantId] ? emptiestRoom(now) : null;
              return {
                events: room
                  ? [{ type: 'breakouts.assigned', participantId: event.participantId, roomId: room.id }]
                  : [],
              };
            });
          }
          break;
        }
        case 'participant.role-changed': {
          const room = roomOf(state, event.participantId);
          if (room) {
            await this.bus.system(room.id, (s) => ({
              events: s.participants[event.participantId] && !s.endedAt ? [event] : [],
            }));
          }
          break;
        }
        case 'participant.left':
        case 'participant.banned': {
          // Removed from the meeting: from its breakout room too.
          const removed = event.type === 'participant.banned' || event.reason === 'removed';
          const room = state.breakouts?.rooms.find((r) => r.id === state.breakouts!.inRoom[event.participantId]);
          if (removed && room) {
            await this.putOut(room.id, event.participantId, 'removed');
            await this.bus.system(mainId, (s) => ({
              events:
                s.breakouts?.inRoom[event.participantId] === room.id
                  ? [{ type: 'breakouts.exited', participantId: event.participantId, roomId: room.id }]
                  : [],
            }));
          }
          break;
        }
      }
    }
  }

  /**
   * Each room's notes (as a PDF, and as text in the main meeting's log) and its drawn whiteboard
   * pages (as a PDF of those pages) become presentations of the main meeting. Rooms with nothing
   * written or drawn bring nothing back.
   */
  private capture(mainId: string, rooms: readonly Pick<BreakoutRoom, 'id' | 'name'>[], language: 'fr' | 'en') {
    return (
      this.captures.run(mainId, async () => {
        for (const room of rooms) {
          try {
            await this.captureRoom(mainId, room, language);
          } catch (err) {
            logger.error({ err, meetingId: mainId, room: room.id }, 'could not bring back a breakout room’s work');
          }
        }
      }) ?? Promise.resolve()
    );
  }

  private async captureRoom(mainId: string, room: Pick<BreakoutRoom, 'id' | 'name'>, language: 'fr' | 'en') {
    const { state } = await this.meetings.state(room.id);
    const events: MeetingEvent[] = [];
    const doc = await this.notes.document(room.id);
    const text = notesText(doc.getXmlFragment(NOTES_FRAGMENT));
    if (text.trim()) {
      const name = capturedName(room.name, 'notes', language);
      const pdf = await this.notesPdf.make(doc, name, `${mainId}/breakouts`);
      events.push(await this.presentations.addMadePdf(mainId, pdf, name));
      events.push({ type: 'breakouts.notes-kept', roomId: room.id, name: room.name, text });
    }
    let nth = 0;
    for (const p of state.slides.presentations) {
      const pdf = await this.whiteboards.drawnPages(p, state.whiteboard);
      if (pdf)
        events.push(
          await this.presentations.addMadePdf(mainId, pdf, capturedName(room.name, 'whiteboard', language, ++nth)),
        );
    }
    if (events.length) await this.bus.system(mainId, () => ({ events }));
  }

  /** Closes a room: its people are back in the main room, its media room goes with it. */
  private close(roomId: string) {
    return this.bus.system(roomId, (s) => ({
      events: s.endedAt ? [] : [{ type: 'meeting.ended', roomClosed: false, reason: 'breakouts' }],
    }));
  }
}
