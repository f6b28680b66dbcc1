import { DEFAULT_SETTINGS, type MeetingSettings, type WaitingGuest } from '@estrade/protocol';
import type { ClassroomConnection } from '../classroom/connection.svelte';
import type { Run } from '../classroom/feedback';

/** Who gets in: the waiting room and the meeting's settings, as moderators see and change them. */
export class AccessStore {
  constructor(
    private readonly conn: ClassroomConnection,
    private readonly run: Run,
  ) {}

  /** Guests waiting for an answer, in order of arrival. */
  get guests(): WaitingGuest[] {
    return Object.values(this.conn.state?.waiting ?? {}).filter((g) => g.status === 'waiting');
  }

  get waitingMessage(): string | null {
    return this.conn.state?.waitingMessage ?? null;
  }

  get settings(): MeetingSettings {
    return this.conn.state?.settings ?? DEFAULT_SETTINGS;
  }

  admit(guestId: string) {
    return this.run(() => this.conn.send({ type: 'guests.admit', guestIds: [guestId] }));
  }

  deny(guestId: string) {
    return this.run(() => this.conn.send({ type: 'guests.deny', guestIds: [guestId] }));
  }

  admitAll() {
    return this.run(() => this.conn.send({ type: 'guests.admit-all' }));
  }

  /** What waiting guests read while they wait. */
  sendMessage(text: string) {
    return this.run(() => this.conn.send({ type: 'guests.message', text }));
  }

  updateSettings(settings: Partial<MeetingSettings>) {
    return this.run(() => this.conn.send({ type: 'settings.update', settings }));
  }
}
