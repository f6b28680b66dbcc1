import { SOCKET } from '@estrade/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../classroom/feedback';
import { ControlsStore } from '../controls/controls.svelte';
import { i18n } from '../i18n/i18n.svelte';
import { connectFake } from '../testing/fake-socket';
import { ALICE, BOB, CLASS, meeting, TEACHER } from '../testing/meeting';
import { ParticipantsStore } from './participants.svelte';

let close = () => {};
afterEach(() => close());

/** The teacher's view, with the answers the server gives and the questions asked. */
function teacherView(answer: boolean) {
  const { conn, socket } = connectFake(TEACHER);
  close = () => conn.close();
  socket.receive(SOCKET.snapshot, {
    seq: 4,
    you: TEACHER,
    state: meeting(
      ...CLASS,
      { type: 'participant.left', participantId: BOB, reason: 'left' },
      {
        type: 'hand.raised',
        participantId: TEACHER,
      },
    ),
  });
  socket.replies[SOCKET.command] = (c) =>
    (c as { type: string }).type === 'participant.set-role'
      ? { ok: false, code: 'forbidden', message: 'no' }
      : { ok: true };
  const refused: unknown[] = [];
  const run: Run = async (action) => {
    try {
      await action();
      return true;
    } catch (err) {
      refused.push(err);
      return false;
    }
  };
  const asked: string[] = [];
  const confirm = (q: string) => (asked.push(q), answer);
  const commands = () => socket.sent.filter((s) => s.name === SOCKET.command).map((s) => s.body);
  return {
    participants: new ParticipantsStore(conn, run, confirm),
    controls: new ControlsStore(conn, run, confirm),
    refused,
    asked,
    commands,
  };
}

describe('the participants and controls stores', () => {
  it('lists those present, moderators first, then by name', () => {
    const { participants } = teacherView(true);
    expect(participants.sorted.map((p) => p.name)).toEqual(['Mme Curie', 'Alice']);
  });

  it('puts raised hands after the moderators, in the order they went up, before the others by name', () => {
    const { conn, socket } = connectFake(TEACHER);
    close = () => conn.close();
    const zoe = '00000000-0000-4000-8000-00000000000d';
    const state = meeting(
      ...CLASS,
      { type: 'participant.joined', participantId: zoe, name: 'Zoé', role: 'viewer', audioMode: 'microphone' },
      { type: 'hand.raised', participantId: zoe },
      { type: 'hand.raised', participantId: BOB },
    );
    socket.receive(SOCKET.snapshot, { seq: 6, you: TEACHER, state });
    const participants = new ParticipantsStore(
      conn,
      async () => true,
      () => true,
    );
    expect(participants.sorted.map((p) => p.name)).toEqual(['Mme Curie', 'Zoé', 'Bob', 'Alice']);
  });

  it('removes a student only once the teacher confirms', async () => {
    i18n.locale = 'en';
    const yes = teacherView(true);
    expect(await yes.participants.remove(ALICE, true)).toBe(true);
    expect(yes.asked).toEqual(['Remove Alice and refuse any return from this browser?']);
    expect(yes.commands()).toEqual([{ type: 'participant.remove', participantId: ALICE, ban: true }]);
    const no = teacherView(false);
    expect(await no.participants.remove(ALICE, false)).toBe(false);
    expect(no.commands()).toEqual([]);
  });

  it('hands a refusal to the classroom rather than throwing it', async () => {
    const { participants, refused } = teacherView(true);
    expect(await participants.setRole(ALICE, 'moderator')).toBe(false);
    expect(refused).toMatchObject([{ code: 'forbidden' }]);
  });

  it('lowers one’s own raised hand from the toggle', async () => {
    const { controls, commands } = teacherView(true);
    expect(controls.handRaised).toBe(true);
    await controls.toggleHand();
    await controls.setLock('microphone', true);
    expect(commands()).toEqual([{ type: 'hand.lower' }, { type: 'locks.update', locks: { microphone: true } }]);
  });
});
