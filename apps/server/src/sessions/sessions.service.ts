import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME, type Runtime } from '../config/config';
import { signSession, verifySession, type SessionClaims } from './session-token';

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
}
