import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME, type Runtime } from '../config/config';
import { signSession, verifySession, type SessionClaims } from './session-token';

const FILES_ACCESS_TTL_MS = 12 * 3600 * 1000;

@Injectable()
export class SessionsService {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  issue(participantId: string, meetingId: string, now = Date.now(), ttlMs = this.runtime.config.sessionTtlMs) {
    const expiresAt = now + ttlMs;
    const sessionToken = signSession({ participantId, meetingId, expiresAt }, this.runtime.sessionSecret);
    return { sessionToken, sessionExpiresAt: new Date(expiresAt).toISOString() };
  }

  verify(token: string, now = Date.now()): SessionClaims | null {
    return verifySession(token, this.runtime.sessionSecret, now);
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
