import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const Claims = z.object({ p: z.uuid(), m: z.uuid(), exp: z.number().int(), s: z.literal('files').optional() });
/**
 * `scope: 'files'` marks a token that only reads and uploads a meeting's files (it travels in
 * URLs and lives longer); the socket refuses it.
 */
export type SessionClaims = { participantId: string; meetingId: string; expiresAt: number; scope?: 'files' };

/**
 * A session token: base64url(JSON claims) "." base64url(HMAC-SHA256). Pure functions of
 * (claims, secret, now), so they are unit-tested without a server.
 */
export function signSession(claims: SessionClaims, secret: string): string {
  const body = Buffer.from(
    JSON.stringify({
      p: claims.participantId,
      m: claims.meetingId,
      exp: claims.expiresAt,
      ...(claims.scope ? { s: claims.scope } : {}),
    }),
  ).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

export function verifySession(token: string, secret: string, now: number, scope?: 'files'): SessionClaims | null {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return null;
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const claims = Claims.safeParse(json);
  if (!claims.success || claims.data.exp <= now || claims.data.s !== scope) return null;
  return { participantId: claims.data.p, meetingId: claims.data.m, expiresAt: claims.data.exp, scope };
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
