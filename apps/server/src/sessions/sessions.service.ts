import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME, type Runtime } from '../config/config';
import { signSession, verifySession, type SessionClaims } from './session-token';

const FILES_ACCESS_TTL_MS = 12 * 3600 * 1000;
/** Session tokens remembered at most (about 200 bytes each); the oldest are forgotten first. */
const KNOWN_TOKENS = 20_000;

@Injectable()
export class SessionsService {
  /**
   * Session tokens this process issued or checked, with their claims: a class connecting or
   * reconnecting at once is checked by a look-up of the exact token, not one HMAC and claims
   * parse each. The expiry is still checked on every use.
   */
  private readonly known = new Map<string, SessionClaims>();

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  issue(participantId: string, meetingId: string, now = Date.now(), ttlMs = this.runtime.config.sessionTtlMs) {
    const expiresAt = now + ttlMs;
    const claims = { participantId, meetingId, expiresAt };
    const sessionToken = signSession(claims, this.runtime.sessionSecret);
    this.remember(sessionToken, claims);
    return { sessionToken, sessionExpiresAt: new Date(expiresAt).toISOString() };
  }

  verify(token: string, now = Date.now()): SessionClaims | null {
    const known = this.known.get(token);
    if (known) return known.expiresAt > now ? known : null;
    const claims = verifySession(token, this.runtime.sessionSecret, now);
    if (claims) this.remember(token, claims);
    return claims;
  }

  private remember(token: string, claims: SessionClaims) {
    this.known.set(token, claims);
    if (this.known.size > KNOWN_TOKENS) this.known.delete(this.known.keys().next().value!);
  }

  /** A token for the meeting's files: checked against the meeting on every use, so it may last the day. */
  issueFilesAccess(participantId: string, meetingId: string, now = Date.now()): string {
    const expiresAt = now + FILES_ACCESS_TTL_MS;
    return signSession({ participantId, meetingId, expiresAt, scope: 'files' }, this.runtime.sessionSecret);
  }

  verifyFilesAccess(token: string, now = Date.now()): SessionClaims | null {
    return verifySession(token, this.runtime.sessionSecret, now, 'files');
  }
}
