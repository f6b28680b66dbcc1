import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { emptyMeeting, eventVersion, foldMeeting, MeetingEvent, readEvent, viewFor } from './meeting';
import type { Upgrade } from './slice';

/**
 * A real meeting's log as the server stored it before events carried versions (so all are
 * version 1): three participants, chat, controls, slides, the waiting room, a ban, the end.
 * Written by the landed server (commit 1cba5eb) and kept as is: it must always fold.
 */
const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/meeting-log.json'), 'utf8')) as {
  meeting: { id: string; room_name: string; started_at: string };
  events: { seq: number; at: string; actor: string | null; type: string; payload: Record<string, unknown> }[];
};

function foldFixture() {
  let state = emptyMeeting(fixture.meeting.id, fixture.meeting.room_name, fixture.meeting.started_at);
  for (const row of fixture.events) {
    state = foldMeeting(state, { at: row.at, event: readEvent({ type: row.type, version: 1, payload: row.payload }) });
  }
  return state;
}

describe('versioned events', () => {
  it('have moved on since the fixture was written: some of its events no longer parse as they are', () => {
    const changed = fixture.events.filter((row) => !MeetingEvent.safeParse({ ...row.payload, type: row.type }).success);
    expect(new Set(changed.map((r) => r.type))).toEqual(new Set(['participant.muted', 'locks.changed']));
    for (const type of [
      'participant.muted',
      'meeting.ended',
      'settings.changed',
      'presentation.added',
      'locks.changed',
    ]) {
      expect(eventVersion(type)).toBe(2);
    }
    expect(eventVersion('chat.sent')).toBe(1);
  });

  it('fold the stored fixture log once upgraded, to the meeting it recorded', () => {
    const state = foldFixture();
    const byName = Object.fromEntries(Object.values(state.participants).map((p) => [p.name, p]));
    expect(state.endedAt).toBe(fixture.events.at(-1)!.at);
    expect(Object.values(state.participants).every((p) => !p.present)).toBe(true);
    expect(byName['Léo'].leftReason).toBe('left');
    expect(byName['Inès']).toMatchObject({ role: 'moderator', leftReason: 'removed', audioMode: 'microphone' });
    expect(byName['Hugo'].leftReason).toBe('meeting_ended');
    expect(state.banned.participants).toEqual([byName['Inès'].id]);
    expect(state.settings).toMatchObject({ welcomeMessage: 'Bonjour !', maxDurationMinutes: 90 });
    expect(state.locks.privateChat).toBe(true);
    expect(state.locks.whiteboard).toBe(false); // locks of version 1 had no whiteboard lock
    expect(state.mutedOnJoin).toEqual([]); // the moderator's mute was not "join muted"
    expect(state.chat.map((m) => [m.deleted, m.to === null])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(state.waiting[byName['Hugo'].id].status).toBe('admitted');
    const deck = state.slides.presentations[0];
    expect(deck).toMatchObject({ isDefault: true, page: 2 });
    expect(viewFor(state, { id: byName['Léo'].id, role: 'viewer' }).chat).toHaveLength(2);
  });

  it('upgrade each stored payload from its own version, in order, then parse it as today', () => {
    const upgrades = new Map<string, Upgrade[]>([
      [
        'chat.cleared',
        [(v1) => ({ ...v1, steps: ['1→2'] }), (v2) => ({ ...v2, steps: [...(v2.steps as string[]), '2→3'] })],
      ],
    ]);
    const seen: unknown[] = [];
    const schema = { parse: (x: unknown) => (seen.push(x), x) } as unknown as typeof MeetingEvent;
    readEvent({ type: 'chat.cleared', version: 1, payload: {} }, schema, upgrades);
    readEvent({ type: 'chat.cleared', version: 2, payload: { steps: ['written as 2'] } }, schema, upgrades);
    readEvent({ type: 'chat.cleared', version: 3, payload: { steps: ['written as 3'] } }, schema, upgrades);
    expect(seen).toEqual([
      { type: 'chat.cleared', steps: ['1→2', '2→3'] },
      { type: 'chat.cleared', steps: ['written as 2', '2→3'] },
      { type: 'chat.cleared', steps: ['written as 3'] },
    ]);
  });

  it('refuse a stored payload that no upgrade makes valid', () => {
    expect(() => readEvent({ type: 'chat.sent', version: 1, payload: { text: 3 } })).toThrow();
  });
});
