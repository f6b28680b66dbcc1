import { SOCKET } from '@estrade/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { connectFake } from '../testing/fake-socket';
import { ALICE, CLASS, meeting, said, TEACHER } from '../testing/meeting';
import { CommandRefused, type ClassroomConnection } from './connection.svelte';

let open: ClassroomConnection[] = [];
function connect(you: string) {
  const c = connectFake(you);
  open.push(c.conn);
  return c;
}
afterEach(() => {
  for (const c of open) c.close();
  open = [];
});

describe('the classroom connection', () => {
  it('starts from the snapshot, then folds each later event with the meeting fold', () => {
    const { conn, socket } = connect(ALICE);
    socket.receive(SOCKET.snapshot, { seq: 3, you: ALICE, state: meeting(...CLASS) });
    expect(conn.status).toBe('connected');
    expect(Object.keys(conn.state!.participants)).toHaveLength(3);

    socket.receive(SOCKET.event, {
      seq: 4,
      at: '2026-11-23T10:01:00.000Z',
      actor: TEACHER,
      event: { type: 'hand.raised', participantId: ALICE },
    });
    socket.receive(SOCKET.event, {
      seq: 5,
      at: '2026-11-23T10:01:01.000Z',
      actor: ALICE,
      event: said(ALICE, 'Bonjour'),
    });
    expect(conn.seq).toBe(5);
    expect(conn.state!.hands).toEqual([ALICE]);
    expect(conn.state!.chat.map((m) => m.text)).toEqual(['Bonjour']);
  });

  it('ignores an event it already holds (seq at or below its own), and tells listeners of new ones only', () => {
    const { conn, socket } = connect(ALICE);
    const seen: number[] = [];
    conn.onEvent((e) => seen.push(e.seq));
    socket.receive(SOCKET.snapshot, { seq: 7, you: ALICE, state: meeting(...CLASS) });
    socket.receive(SOCKET.event, { seq: 7, at: 'x', actor: ALICE, event: said(ALICE, 'déjà vu') });
    socket.receive(SOCKET.event, { seq: 8, at: 'x', actor: ALICE, event: said(ALICE, 'nouveau') });
    expect(conn.state!.chat.map((m) => m.text)).toEqual(['nouveau']);
    expect(seen).toEqual([8]);
  });

  it('takes a shared snapshot that names nobody as its own, and events that come several at once', () => {
    const { conn, socket } = connect(ALICE);
    const seen: number[] = [];
    conn.onEvent((e) => seen.push(e.seq));
    socket.receive(SOCKET.snapshot, { seq: 3, state: meeting(...CLASS) });
    expect(conn.you).toBe(ALICE);
    socket.receive(SOCKET.events, [
      { seq: 3, at: 'x', actor: ALICE, event: said(ALICE, 'déjà vu') },
      { seq: 4, at: 'x', actor: ALICE, event: said(ALICE, 'un') },
      { seq: 5, at: 'x', actor: TEACHER, event: said(TEACHER, 'deux') },
    ]);
    expect(conn.state!.chat.map((m) => m.text)).toEqual(['un', 'deux']);
    expect(seen).toEqual([4, 5]);
  });

  it('asks, on reconnecting, only for what it missed after the seq it holds', () => {
    const { socket } = connect(ALICE);
    expect(socket.handshake).not.toHaveProperty('lastSeq');
    socket.receive(SOCKET.snapshot, { seq: 12, you: ALICE, state: meeting(...CLASS) });
    socket.connect();
    expect(socket.handshake).toMatchObject({ token: 'session-token', lastSeq: 12 });
  });

  it('is back once the server says it resumed, after the events it missed, and moves on to that seq', () => {
    const { conn, socket } = connect(ALICE);
    socket.receive(SOCKET.snapshot, { seq: 12, you: ALICE, state: meeting(...CLASS) });
    // The network drops (socket.io's reason for it).
    socket.connected = false;
    socket.receive('disconnect', 'transport close');
    expect(conn.status).toBe('reconnecting');
    socket.connect();
    // Connected again, but not yet up to date.
    expect(conn.status).toBe('reconnecting');
    socket.receive(SOCKET.events, [{ seq: 13, at: 'x', actor: ALICE, event: said(ALICE, 'manqué') }]);
    // Seq 14 went to the moderators only: never sent here, yet this client is up to date past it.
    socket.receive(SOCKET.resumed, { seq: 14 });
    expect(conn.status).toBe('connected');
    expect(conn.seq).toBe(14);
    expect(conn.state!.chat.map((m) => m.text)).toEqual(['manqué']);
    // A malformed confirmation changes nothing.
    socket.receive(SOCKET.resumed, { seq: -1 });
    expect(conn.seq).toBe(14);
  });

  it('closes when the meeting ends, and waits rather than closes when told it reconnects too often', () => {
    const { conn, socket } = connect(ALICE);
    socket.receive(SOCKET.snapshot, { seq: 1, you: ALICE, state: meeting(...CLASS) });
    socket.receive(SOCKET.fatal, { code: 'too_fast', message: 'wait' });
    expect(conn.status).toBe('reconnecting');
    expect(conn.fatal).toBeNull();
    socket.receive(SOCKET.event, {
      seq: 2,
      at: 'x',
      actor: TEACHER,
      event: { type: 'meeting.ended', roomClosed: false, reason: 'moderator' },
    });
    expect(conn.state!.endedAt).not.toBeNull();
    expect(conn.status).toBe('closed');
  });

  it('resolves a command with its result and rejects a refusal with the server’s code', async () => {
    const { conn, socket } = connect(ALICE);
    socket.replies[SOCKET.command] = (c) =>
      (c as { type: string }).type === 'hand.raise'
        ? { ok: true, result: 'up' }
        : { ok: false, code: 'forbidden', message: 'no' };
    await expect(conn.send({ type: 'hand.raise' })).resolves.toBe('up');
    const refused = conn.send({ type: 'chat.clear' });
    await expect(refused).rejects.toBeInstanceOf(CommandRefused);
    await expect(refused).rejects.toMatchObject({ code: 'forbidden' });
  });
});
