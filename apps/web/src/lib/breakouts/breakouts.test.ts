import { SOCKET, type MeetingEvent } from '@estrade/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/i18n.svelte';
import { loadSession, saveSession } from '../session/session';
import { connectFake } from '../testing/fake-socket';
import { ALICE, BOB, CLASS, MEETING, TEACHER, meeting } from '../testing/meeting';
import { memoryStorage } from '../testing/storage';
import { BreakoutsStore } from './breakouts.svelte';

const ROOM1 = '00000000-0000-4000-8000-0000000000b1';
const ROOM2 = '00000000-0000-4000-8000-0000000000b2';

const started = (assigned: Record<string, string> = { [ALICE]: ROOM1, [BOB]: ROOM2 }): MeetingEvent =>
  ({
    type: 'breakouts.started',
    rooms: [
      { id: ROOM1, number: 1, name: 'Groupe 1' },
      { id: ROOM2, number: 2, name: 'Groupe 2' },
    ],
    endsAt: '2026-11-23T10:15:00.000Z',
    freeChoice: false,
    inviteLateJoiners: true,
    content: 'blank',
    capture: true,
    language: 'fr',
    assigned,
  }) as MeetingEvent;

let close = () => {};
let tab: Storage;
beforeEach(() => {
  i18n.locale = 'en';
  tab = memoryStorage();
  vi.stubGlobal('sessionStorage', tab);
  saveSession({
    meetingId: MEETING,
    participantId: ALICE,
    sessionToken: 'main-token',
    sessionExpiresAt: '2099-01-01T00:00:00.000Z',
    joinCode: 'abc-defg',
    camera: true,
  });
});
afterEach(() => {
  close();
  vi.unstubAllGlobals();
});

/** Someone's breakouts store in a meeting made of these events; rooms answer with a session. */
function store(you: string, events: MeetingEvent[], { confirm = (): boolean => true } = {}) {
  const { conn, socket } = connectFake(you);
  close = () => conn.close();
  socket.receive(SOCKET.snapshot, { seq: 9, you, state: meeting(...events) });
  socket.replies[SOCKET.command] = () => ({ ok: true });
  socket.replies['breakout.join'] = (body) => ({
    ok: true,
    result: {
      meetingId: (body as { roomId: string }).roomId,
      participantId: you,
      sessionToken: `token-${(body as { roomId: string }).roomId}`,
      sessionExpiresAt: '2099-01-01T00:00:00.000Z',
    },
  });
  socket.replies['breakout.leave'] = () => ({ ok: true, result: {} });
  const breakouts = new BreakoutsStore(conn, confirm, tab);
  let seq = 10;
  const push = (event: MeetingEvent) => {
    socket.receive(SOCKET.event, { seq: seq++, at: '2026-11-23T10:05:00.000Z', actor: null, event });
    breakouts.sync();
  };
  const asked = (name: string) => socket.sent.filter((s) => s.name === name).map((s) => s.body);
  const commands = () => asked(SOCKET.command);
  /** Lets the requests started by sync() finish. */
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { breakouts, push, asked, commands, settle, socket };
}

describe('entering and leaving a breakout room', () => {
  it('asks the main meeting for a session to the room, kept like the main one (join code and camera too)', async () => {
    const { breakouts, asked } = store(ALICE, [...CLASS, started()]);
    expect(breakouts.assigned?.name).toBe('Groupe 1');
    // Assigned: her media belongs to the room already.
    expect(breakouts.away).toBe(true);
    const entering = breakouts.enter(ROOM1);
    expect(breakouts.joining?.name).toBe('Groupe 1');
    expect(await entering).toBe(true);
    expect(asked('breakout.join')).toEqual([{ roomId: ROOM1 }]);
    expect(breakouts.session).toMatchObject({ meetingId: ROOM1, sessionToken: `token-${ROOM1}`, joinCode: 'abc-defg' });
    expect(loadSession(ROOM1)).toMatchObject({ participantId: ALICE, joinCode: 'abc-defg', camera: true });
    expect(breakouts.current?.name).toBe('Groupe 1');
    expect(breakouts.joining).toBeNull();
  });

  it('says a refusal in the person’s language and stays in the main room', async () => {
    const { breakouts, socket } = store(ALICE, [...CLASS, started()]);
    socket.replies['breakout.join'] = () => ({ ok: false, code: 'forbidden', message: 'no' });
    expect(await breakouts.enter(ROOM2)).toBe(false);
    expect(breakouts.notice).toBe(i18n.error('forbidden'));
    expect(breakouts.session).toBeNull();
  });

  it('comes back to the main room when the rooms close, forgetting the room’s session', async () => {
    const { breakouts, push } = store(ALICE, [...CLASS, started()]);
    await breakouts.enter(ROOM1);
    push({ type: 'breakouts.ended', reason: 'time', capture: true, language: 'fr' } as MeetingEvent);
    expect(breakouts.session).toBeNull();
    expect(breakouts.away).toBe(false);
    expect(loadSession(ROOM1)).toBeNull();
  });

  it('lets a moderator visiting go back', async () => {
    const { breakouts, asked } = store(TEACHER, [...CLASS, started()]);
    expect(breakouts.away).toBe(false);
    await breakouts.enter(ROOM2);
    expect(breakouts.away).toBe(true);
    expect(await breakouts.leave()).toBe(true);
    expect(asked('breakout.leave')).toEqual([{}]);
    expect(breakouts.session).toBeNull();
  });

  it('follows a move to another room at once', async () => {
    const { breakouts, push, asked, settle } = store(ALICE, [...CLASS, started()]);
    breakouts.sync();
    await breakouts.enter(ROOM1);
    push({ type: 'breakouts.assigned', participantId: ALICE, roomId: ROOM2 });
    await settle();
    expect(asked('breakout.join')).toEqual([{ roomId: ROOM1 }, { roomId: ROOM2 }]);
    expect(breakouts.session?.meetingId).toBe(ROOM2);
  });

  it('follows a move that the old room announced first (taken out of it)', async () => {
    const { breakouts, push, asked, settle } = store(ALICE, [...CLASS, started()]);
    breakouts.sync();
    await breakouts.enter(ROOM1);
    breakouts.closeRoom('removed');
    breakouts.sync();
    await settle();
    // Not back into the room she was taken out of.
    expect(asked('breakout.join')).toEqual([{ roomId: ROOM1 }]);
    push({ type: 'breakouts.assigned', participantId: ALICE, roomId: ROOM2 });
    await settle();
    expect(breakouts.session?.meetingId).toBe(ROOM2);
  });

  it('puts someone back in their room after a reload, without a click', async () => {
    const first = store(ALICE, [...CLASS, started()]);
    await first.breakouts.enter(ROOM1);
    close();
    const again = store(ALICE, [...CLASS, started()]);
    expect(again.breakouts.session).toBeNull();
    again.breakouts.sync();
    await again.settle();
    expect(again.asked('breakout.join')).toEqual([{ roomId: ROOM1 }]);
    expect(again.breakouts.session?.meetingId).toBe(ROOM1);
  });

  it('does not enter by itself when the tab was never in a room', async () => {
    const { breakouts, asked, settle } = store(ALICE, [...CLASS, started()]);
    breakouts.sync();
    await settle();
    expect(asked('breakout.join')).toEqual([]);
    expect(breakouts.session).toBeNull();
  });
});

describe('the moderators’ commands', () => {
  it('sends extend, move, broadcast, capture and end (the end once confirmed)', async () => {
    let answer = false;
    const { breakouts, commands } = store(TEACHER, [...CLASS, started()], { confirm: () => answer });
    await breakouts.extend(5);
    await breakouts.move(BOB, ROOM1);
    expect(await breakouts.broadcast('Encore 5 minutes')).toBe(true);
    expect(breakouts.done).toBe('Message sent to every room.');
    await breakouts.capture();
    expect(await breakouts.end()).toBe(false);
    answer = true;
    expect(await breakouts.end()).toBe(true);
    expect(commands()).toEqual([
      { type: 'breakouts.extend', minutes: 5 },
      { type: 'breakouts.move', participantId: BOB, roomId: ROOM1 },
      { type: 'breakouts.broadcast', text: 'Encore 5 minutes' },
      { type: 'breakouts.capture' },
      { type: 'breakouts.end' },
    ]);
  });
});

describe('the invitation', () => {
  it('invites a student to their room, not a moderator unless assigned; "Not now" puts it away', () => {
    const { breakouts } = store(ALICE, [...CLASS, started()]);
    expect(breakouts.invitation).toMatchObject({ choice: false, room: { name: 'Groupe 1' } });
    breakouts.decline();
    expect(breakouts.invitation).toBeNull();
    expect(breakouts.putAway).toMatchObject({ name: 'Groupe 1' });
    breakouts.reopen();
    expect(breakouts.invitation).not.toBeNull();
    expect(breakouts.putAway).toBeNull();
    expect(store(TEACHER, [...CLASS, started()]).breakouts.invitation).toBeNull();
    expect(store(TEACHER, [...CLASS, started({ [TEACHER]: ROOM2 })]).breakouts.invitation).toMatchObject({
      room: { id: ROOM2 },
    });
  });

  it('offers every room when students choose', () => {
    const free = { ...(started({ [BOB]: ROOM2 }) as object), freeChoice: true } as MeetingEvent;
    expect(store(ALICE, [...CLASS, free]).breakouts.invitation).toEqual({ choice: true, room: null });
    expect(store(BOB, [...CLASS, free]).breakouts.invitation).toMatchObject({ choice: true, room: { id: ROOM2 } });
  });

  it('is not offered again once the room is over, while the rooms close', async () => {
    const { breakouts, push } = store(ALICE, [...CLASS, started()]);
    await breakouts.enter(ROOM1);
    expect(breakouts.invitation).toBeNull();
    breakouts.closeRoom('ended');
    expect(breakouts.invitation).toBeNull();
    // Still one click away, should this room alone have closed.
    expect(breakouts.putAway).toMatchObject({ id: ROOM1 });
    push({ type: 'breakouts.ended', reason: 'time', capture: true, language: 'fr' } as MeetingEvent);
    push(started());
    expect(breakouts.invitation).toMatchObject({ room: { id: ROOM1 } });
  });
});
