import type { Participant, Role } from '@estrade/protocol';
import type { ClassroomConnection } from '../classroom/connection.svelte';
import type { Confirm, Run } from '../classroom/feedback';
import { t } from '../i18n/i18n.svelte';

/** The class list and what a moderator does to one participant. Who may is the permission table's call. */
export class ParticipantsStore {
  constructor(
    private readonly conn: ClassroomConnection,
    private readonly run: Run,
    private readonly confirm: Confirm,
  ) {}

  /** Those in the meeting now. */
  get present(): Participant[] {
    return Object.values(this.conn.state?.participants ?? {}).filter((p) => p.present);
  }

  /**
   * The way a teacher scans a class list: moderators, then raised hands in the order they went
   * up (the queue), then everyone else by name.
   */
  get sorted(): Participant[] {
    const hands = this.conn.state?.hands ?? [];
    const rank = (p: Participant) => (p.role === 'moderator' ? 0 : hands.includes(p.id) ? 1 : 2);
    const queue = (p: Participant) => (p.role !== 'moderator' && hands.includes(p.id) ? hands.indexOf(p.id) : 0);
    return [...this.present].sort((a, b) => rank(a) - rank(b) || queue(a) - queue(b) || a.name.localeCompare(b.name));
  }

  nameOf(participantId: string): string {
    return this.conn.state?.participants[participantId]?.name ?? '?';
  }

  setRole(participantId: string, role: Role) {
    return this.run(() => this.conn.send({ type: 'participant.set-role', participantId, role }));
  }

  makePresenter(participantId: string) {
    return this.run(() => this.conn.send({ type: 'presenter.set', participantId }));
  }

  mute(participantId: string) {
    return this.run(() => this.conn.send({ type: 'participant.mute', participantId }));
  }

  /** Removes (or bans) after the moderator confirms; false when they change their mind. */
  async remove(participantId: string, ban: boolean): Promise<boolean> {
    const name = this.conn.state?.participants[participantId]?.name ?? '';
    if (!this.confirm(t(ban ? 'controls.banConfirm' : 'controls.removeConfirm', { name }))) return false;
    return this.run(() => this.conn.send({ type: 'participant.remove', participantId, ban }));
  }
}
