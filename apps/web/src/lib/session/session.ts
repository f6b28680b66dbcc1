import { z } from 'zod';

/**
 * The participant's session in this tab. sessionStorage survives a reload but not a new tab,
 * so a reload puts the student back in the room while two tabs stay two participants.
 */
const Session = z.object({
  meetingId: z.string(),
  participantId: z.string(),
  sessionToken: z.string(),
  sessionExpiresAt: z.string(),
  joinCode: z.string(),
  /** The person turned the camera on before joining; without it the camera stays off. */
  camera: z.boolean().optional(),
  /** The camera chosen in the preview, if any. */
  cameraId: z.string().optional(),
});
export type Session = z.infer<typeof Session>;

const key = (meetingId: string) => `estrade.session.${meetingId}`;

export function saveSession(s: Session) {
  sessionStorage.setItem(key(s.meetingId), JSON.stringify(s));
}

export function loadSession(meetingId: string): Session | null {
  const raw = sessionStorage.getItem(key(meetingId));
  if (!raw) return null;
  const parsed = Session.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

export function forgetSession(meetingId: string) {
  sessionStorage.removeItem(key(meetingId));
}
