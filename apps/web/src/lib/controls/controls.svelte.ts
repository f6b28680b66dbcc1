import type { AudioMode, LockName, Reaction } from '@estrade/protocol';
import type { ClassroomConnection } from '../classroom/connection.svelte';
import type { Confirm, Run } from '../classroom/feedback';
import { t } from '../i18n/i18n.svelte';

/** One's own gestures (hand, status, reactions, audio mode, leaving) and the teacher's class-wide controls. */
export class ControlsStore {
  constructor(
    private readonly conn: ClassroomConnection,
    private readonly run: Run,
    private readonly confirm: Confirm,
  ) {}

  get handRaised(): boolean {
    return !!this.conn.state?.hands.includes(this.conn.you);
  }

  get away(): boolean {
    return this.conn.state?.participants[this.conn.you]?.status === 'away';
  }

  toggleHand() {
    return this.run(() => this.conn.send(this.handRaised ? { type: 'hand.lower' } : { type: 'hand.raise' }));
  }

  /** Lowers someone's hand (a moderator), or one's own without an id. */
  lowerHand(participantId?: string) {
    return this.run(() => this.conn.send({ type: 'hand.lower', participantId }));
  }

  lowerAll() {
    return this.run(() => this.conn.send({ type: 'hands.lower-all' }));
  }

  setAway(away: boolean) {
    return this.run(() => this.conn.send({ type: 'status.set', status: away ? 'away' : null }));
  }

  react(reaction: Reaction) {
    return this.run(() => this.conn.send({ type: 'reaction.send', reaction }));
  }

  clearStatuses() {
    return this.run(() => this.conn.send({ type: 'statuses.clear' }));
  }

  muteAll(exceptPresenter: boolean) {
    return this.run(() => this.conn.send({ type: 'meeting.mute-all', exceptPresenter }));
  }

  setLock(lock: LockName, on: boolean) {
    return this.run(() => this.conn.send({ type: 'locks.update', locks: { [lock]: on } }));
  }

  switchAudio(mode: AudioMode) {
    return this.run(() => this.conn.send({ type: 'audio.set-mode', mode }));
  }

  leave() {
    return this.run(() => this.conn.send({ type: 'participant.leave' }));
  }

  /** Ends the meeting for everyone, once the moderator confirms. */
  async endMeeting(): Promise<boolean> {
    if (!this.confirm(t('room.endConfirm'))) return false;
    return this.run(() => this.conn.send({ type: 'meeting.end', closeRoom: false }));
  }
}
