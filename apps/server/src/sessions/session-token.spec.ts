import { signSession, verifySession } from './session-token';

const secret = 'a'.repeat(40);
const claims = {
  participantId: '00000000-0000-4000-8000-00000000000a',
  meetingId: '00000000-0000-4000-8000-000000000001',
  expiresAt: 2_000,
};

describe('session tokens', () => {
  it('verify with the secret before they expire', () => {
    expect(verifySession(signSession(claims, secret), secret, 1_999)).toEqual(claims);
  });
  it('are refused once expired', () => {
    expect(verifySession(signSession(claims, secret), secret, 2_000)).toBeNull();
  });
  it('are refused with another secret', () => {
    expect(verifySession(signSession(claims, secret), 'b'.repeat(40), 0)).toBeNull();
  });
  it('are refused when their claims are edited', () => {
    const [, sig] = signSession(claims, secret).split('.');
    const forged = Buffer.from(
      JSON.stringify({ p: '00000000-0000-4000-8000-00000000000b', m: claims.meetingId, exp: 2_000 }),
    ).toString('base64url');
    expect(verifySession(`${forged}.${sig}`, secret, 0)).toBeNull();
  });
  it.each(['', 'x', 'a.b.c', '..', 'e30.'])('refuse garbage %p', (t) => expect(verifySession(t, secret, 0)).toBeNull());
});
