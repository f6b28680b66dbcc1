import { withActor } from './emit';

const A = '0b7f6a4e-0000-4000-8000-000000000001';

describe('events a handler emits', () => {
  it('are caused by the command’s sender unless they say otherwise', () => {
    expect(withActor({ type: 'hand.raised', participantId: A }, A)).toEqual({
      event: { type: 'hand.raised', participantId: A },
      actor: A,
    });
  });
  it('may be logged with nobody at all, even from a command (an anonymous answer)', () => {
    expect(withActor({ event: { type: 'statuses.cleared' }, actor: null }, A)).toMatchObject({ actor: null });
  });
  it('carry the audience they name; the system path has no actor by default', () => {
    const audience = { roles: ['moderator' as const] };
    expect(withActor({ event: { type: 'guests.messaged', text: 'x' }, audience }, null)).toEqual({
      event: { type: 'guests.messaged', text: 'x' },
      actor: null,
      audience,
    });
    expect(withActor({ event: { type: 'hand.raised', participantId: A }, actor: A }, null).actor).toBe(A);
  });
});
