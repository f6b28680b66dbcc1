import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CLASS, meeting, said, TEACHER } from '../testing/meeting';
import { permits, publishable } from './permissions';

const aliceSays = said(ALICE, 'une question');
const aliceMessage = aliceSays.type === 'chat.sent' ? aliceSays.messageId : '';
const state = meeting(...CLASS, aliceSays, { type: 'hand.raised', participantId: ALICE });
const locked = meeting(...CLASS, aliceSays, {
  type: 'locks.changed',
  locks: { ...state.locks, publicChat: true, privateChat: true, microphone: true },
});

describe('can: the permission table asked from the web app', () => {
  it('lets the author and moderators delete a message, not another student', () => {
    const ask = { type: 'chat.delete', messageId: aliceMessage } as const;
    expect(permits(state, ALICE, ask)).toBe(true);
    expect(permits(state, TEACHER, ask)).toBe(true);
    expect(permits(state, BOB, ask)).toBe(false);
  });

  it('lets only the author edit, moderators included', () => {
    expect(permits(state, ALICE, { type: 'chat.edit', messageId: aliceMessage })).toBe(true);
    expect(permits(state, TEACHER, { type: 'chat.edit', messageId: aliceMessage })).toBe(false);
  });

  it('finds authors beyond the state when told where (older chat pages)', () => {
    const older = '00000000-0000-4000-8000-0000000000ff';
    expect(permits(state, BOB, { type: 'chat.delete', messageId: older }, () => BOB)).toBe(true);
    expect(permits(state, BOB, { type: 'chat.delete', messageId: older }, () => ALICE)).toBe(false);
  });

  it('lets anyone lower their own hand and only moderators lower someone else’s', () => {
    expect(permits(state, ALICE, { type: 'hand.lower' })).toBe(true);
    expect(permits(state, BOB, { type: 'hand.lower', participantId: ALICE })).toBe(false);
    expect(permits(state, TEACHER, { type: 'hand.lower', participantId: ALICE })).toBe(true);
  });

  it('keeps moderation to moderators and pages to the presenter', () => {
    expect(permits(state, TEACHER, { type: 'participant.remove', participantId: ALICE })).toBe(true);
    expect(permits(state, ALICE, { type: 'participant.remove', participantId: BOB })).toBe(false);
    expect(permits(state, TEACHER, { type: 'slide.goto' })).toBe(false);
    const aliceMadePresenter = meeting(...CLASS, { type: 'presenter.changed', participantId: ALICE });
    expect(permits(aliceMadePresenter, ALICE, { type: 'slide.goto' })).toBe(true);
    expect(permits(aliceMadePresenter, ALICE, { type: 'presentation.add' })).toBe(true);
    expect(permits(aliceMadePresenter, BOB, { type: 'presentation.add' })).toBe(false);
  });

  it('follows the locks for students, with a private word to the teacher still allowed', () => {
    expect(permits(locked, ALICE, { type: 'chat.send', to: null })).toBe(false);
    expect(permits(locked, ALICE, { type: 'chat.send', to: BOB })).toBe(false);
    expect(permits(locked, ALICE, { type: 'chat.send', to: TEACHER })).toBe(true);
    expect(permits(locked, TEACHER, { type: 'chat.send', to: null })).toBe(true);
  });

  it('answers no for someone not in the meeting', () => {
    expect(permits(state, '00000000-0000-4000-8000-0000000000ee', { type: 'hand.raise' })).toBe(false);
  });

  it('says what LiveKit lets one publish: no microphone for a student under the lock', () => {
    expect(publishable(state, ALICE)).toEqual(['camera', 'microphone']);
    expect(publishable(locked, ALICE)).toEqual(['camera']);
    expect(publishable(locked, TEACHER)).toEqual(['camera', 'microphone']);
    expect(publishable(state, BOB)).toEqual(['camera']);
  });
});
