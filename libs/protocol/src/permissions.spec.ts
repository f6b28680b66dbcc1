import { NO_LOCKS, type LockName, type Locks } from './controls';
import { COMMAND_TYPES, type Command } from './meeting';
import type { Shape } from './whiteboard';
import {
  COMMAND_PERMISSIONS,
  decide,
  forbiddenTrack,
  publishableSources,
  RATES,
  type Actor,
  type Decision,
  type DecisionContext,
} from './permissions';

const ME = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';
const TEACHER = '00000000-0000-4000-8000-00000000000c';
const MY_MESSAGE = '00000000-0000-4000-8000-0000000000a1';
const OTHER_MESSAGE = '00000000-0000-4000-8000-0000000000b1';
const MY_SHAPE = 'my-shape-1';
const OTHER_SHAPE = 'other-shape-1';
const DECK = '00000000-0000-4000-8000-0000000000d1';
const POLL = '00000000-0000-4000-8000-0000000000e1';
const shape = (id: string): Shape => ({
  id,
  kind: 'rectangle',
  points: [
    [10, 10],
    [50, 40],
  ],
  colour: '#e03131',
  size: 3,
  fill: false,
});
const context: DecisionContext = {
  roleOf: (id) => (id === TEACHER ? 'moderator' : id === OTHER ? 'viewer' : undefined),
  authorOf: (id) => (id === MY_MESSAGE ? ME : id === OTHER_MESSAGE ? OTHER : undefined),
  annotationAuthor: (_p, _n, id) => (id === MY_SHAPE ? ME : id === OTHER_SHAPE ? OTHER : undefined),
};
const LOCK_NAMES = Object.keys(NO_LOCKS) as LockName[];

const actors: Record<string, Actor> = {
  moderator: { id: ME, role: 'moderator', presenter: false },
  viewer: { id: ME, role: 'viewer', presenter: false },
  presentingViewer: { id: ME, role: 'viewer', presenter: true },
  presentingModerator: { id: ME, role: 'moderator', presenter: true },
  // In the whiteboard's multi-user mode.
  drawingViewer: { id: ME, role: 'viewer', presenter: false, drawer: true },
  drawingModerator: { id: ME, role: 'moderator', presenter: false, drawer: true },
};
type Row = {
  command: Command;
  allowed: (keyof typeof actors)[];
  lockedBy: LockName | null;
  /** The lock spares a presenter who is a viewer. */
  presenterUnlocked?: true;
};

const MOD: Row['allowed'] = ['moderator', 'presentingModerator', 'drawingModerator'];
const ALL: Row['allowed'] = [
  'moderator',
  'viewer',
  'presentingViewer',
  'presentingModerator',
  'drawingViewer',
  'drawingModerator',
];
const PRESENTER: Row['allowed'] = ['presentingViewer', 'presentingModerator'];
const PRESENTER_OR_MOD: Row['allowed'] = ['moderator', 'presentingViewer', 'presentingModerator', 'drawingModerator'];
const DRAWER: Row['allowed'] = ['presentingViewer', 'presentingModerator', 'drawingViewer', 'drawingModerator'];
const DRAWER_OVER_OTHERS: Row['allowed'] = ['presentingViewer', 'presentingModerator', 'drawingModerator'];
const where = { presentationId: DECK, page: 1 };

// The expected table, written out by hand: a change to who may do what must change this too.
const expected: Row[] = [
  { command: { type: 'audio.set-mode', mode: 'microphone' }, allowed: ALL, lockedBy: 'microphone' },
  { command: { type: 'audio.set-mode', mode: 'listen-only' }, allowed: ALL, lockedBy: null },
  { command: { type: 'participant.leave' }, allowed: ALL, lockedBy: null },
  { command: { type: 'participant.remove', participantId: OTHER, ban: true }, allowed: MOD, lockedBy: null },
  { command: { type: 'participant.set-role', participantId: OTHER, role: 'moderator' }, allowed: MOD, lockedBy: null },
  { command: { type: 'participant.set-role', participantId: ME, role: 'moderator' }, allowed: MOD, lockedBy: null },
  { command: { type: 'meeting.end', closeRoom: false }, allowed: MOD, lockedBy: null },
  { command: { type: 'presenter.set', participantId: OTHER }, allowed: MOD, lockedBy: null },
  { command: { type: 'presenter.set', participantId: ME }, allowed: MOD, lockedBy: null },
  { command: { type: 'locks.update', locks: { microphone: false } }, allowed: MOD, lockedBy: null },
  { command: { type: 'participant.mute', participantId: OTHER }, allowed: MOD, lockedBy: null },
  { command: { type: 'meeting.mute-all', exceptPresenter: true }, allowed: MOD, lockedBy: null },
  { command: { type: 'hand.raise' }, allowed: ALL, lockedBy: null },
  { command: { type: 'hand.lower' }, allowed: ALL, lockedBy: null },
  { command: { type: 'hand.lower', participantId: ME }, allowed: ALL, lockedBy: null },
  { command: { type: 'hand.lower', participantId: OTHER }, allowed: MOD, lockedBy: null },
  { command: { type: 'hands.lower-all' }, allowed: MOD, lockedBy: null },
  { command: { type: 'status.set', status: 'away' }, allowed: ALL, lockedBy: null },
  { command: { type: 'reaction.send', reaction: 'applause' }, allowed: ALL, lockedBy: null },
  { command: { type: 'statuses.clear' }, allowed: MOD, lockedBy: null },
  { command: { type: 'settings.update', settings: { guestPolicy: 'ask-moderator' } }, allowed: MOD, lockedBy: null },
  { command: { type: 'guests.admit', guestIds: [OTHER] }, allowed: MOD, lockedBy: null },
  { command: { type: 'guests.deny', guestIds: [OTHER] }, allowed: MOD, lockedBy: null },
  { command: { type: 'guests.admit-all' }, allowed: MOD, lockedBy: null },
  { command: { type: 'guests.message', text: 'Deux minutes !' }, allowed: MOD, lockedBy: null },
  { command: { type: 'chat.send', to: null, text: 'Bonjour' }, allowed: ALL, lockedBy: 'publicChat' },
  { command: { type: 'chat.send', to: OTHER, text: 'Psst' }, allowed: ALL, lockedBy: 'privateChat' },
  // A private message to a moderator is never locked.
  { command: { type: 'chat.send', to: TEACHER, text: 'Madame ?' }, allowed: ALL, lockedBy: null },
  { command: { type: 'chat.edit', messageId: MY_MESSAGE, text: 'Bonjour !' }, allowed: ALL, lockedBy: null },
  { command: { type: 'chat.edit', messageId: OTHER_MESSAGE, text: 'Hacked' }, allowed: [], lockedBy: null },
  { command: { type: 'chat.delete', messageId: MY_MESSAGE }, allowed: ALL, lockedBy: null },
  { command: { type: 'chat.delete', messageId: OTHER_MESSAGE }, allowed: MOD, lockedBy: null },
  { command: { type: 'chat.react', messageId: OTHER_MESSAGE, reaction: 'heart' }, allowed: ALL, lockedBy: null },
  { command: { type: 'chat.clear' }, allowed: MOD, lockedBy: null },
  { command: { type: 'layout.push', layout: { focus: 'video', pinned: OTHER } }, allowed: MOD, lockedBy: null },
  { command: { type: 'layout.release' }, allowed: MOD, lockedBy: null },
  { command: { type: 'presentation.add', uploadId: OTHER }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  { command: { type: 'presentation.show', presentationId: OTHER }, allowed: PRESENTER, lockedBy: null },
  { command: { type: 'presentation.remove', presentationId: OTHER }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  {
    command: { type: 'presentation.set-downloadable', presentationId: OTHER, downloadable: true },
    allowed: PRESENTER_OR_MOD,
    lockedBy: null,
  },
  { command: { type: 'slide.goto', presentationId: OTHER, page: 2 }, allowed: PRESENTER, lockedBy: null },
  {
    command: { type: 'slide.viewport', presentationId: OTHER, viewport: { fit: 'page', zoom: 2, x: 0.5, y: 0.5 } },
    allowed: PRESENTER,
    lockedBy: null,
  },
  {
    command: { type: 'annotation.add', ...where, shapes: [shape('new-shape-1')] },
    allowed: DRAWER,
    lockedBy: 'whiteboard',
    presenterUnlocked: true,
  },
  {
    command: { type: 'annotation.update', ...where, shape: shape(MY_SHAPE) },
    allowed: DRAWER,
    lockedBy: 'whiteboard',
    presenterUnlocked: true,
  },
  {
    command: { type: 'annotation.update', ...where, shape: shape(OTHER_SHAPE) },
    allowed: DRAWER_OVER_OTHERS,
    lockedBy: 'whiteboard',
    presenterUnlocked: true,
  },
  {
    command: { type: 'annotation.remove', ...where, ids: [MY_SHAPE] },
    allowed: DRAWER,
    lockedBy: 'whiteboard',
    presenterUnlocked: true,
  },
  {
    command: { type: 'annotation.remove', ...where, ids: [MY_SHAPE, OTHER_SHAPE] },
    allowed: DRAWER_OVER_OTHERS,
    lockedBy: 'whiteboard',
    presenterUnlocked: true,
  },
  {
    command: { type: 'annotation.clear-mine', ...where },
    allowed: DRAWER,
    lockedBy: 'whiteboard',
    presenterUnlocked: true,
  },
  { command: { type: 'annotation.clear-all', ...where }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  { command: { type: 'whiteboard.set-multi-user', enabled: true }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  { command: { type: 'timer.start', mode: 'stopwatch', sound: false }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  { command: { type: 'timer.pause' }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  { command: { type: 'timer.resume' }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  { command: { type: 'timer.reset' }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  { command: { type: 'timer.clear' }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  {
    command: { type: 'poll.start', kind: 'yes-no', multiple: false, anonymous: false },
    allowed: PRESENTER,
    lockedBy: null,
  },
  { command: { type: 'poll.answer', pollId: POLL, choices: [0] }, allowed: ALL, lockedBy: null },
  { command: { type: 'poll.change-answer', pollId: POLL, text: 'Paris' }, allowed: ALL, lockedBy: null },
  { command: { type: 'poll.stop', pollId: POLL }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  { command: { type: 'poll.cancel', pollId: POLL }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  { command: { type: 'poll.publish', pollId: POLL, lang: 'fr' }, allowed: PRESENTER_OR_MOD, lockedBy: null },
  // Breakout rooms: moderators only, whoever presents, whatever is locked.
  {
    command: {
      type: 'breakouts.start',
      rooms: [
        { name: 'Groupe 1', participantIds: [ME] },
        { name: 'Groupe 2', participantIds: [OTHER] },
      ],
      durationMinutes: 15,
      freeChoice: false,
      inviteModerators: false,
      inviteLateJoiners: true,
      content: 'blank',
      capture: true,
      language: 'fr',
    },
    allowed: MOD,
    lockedBy: null,
  },
  { command: { type: 'breakouts.extend', minutes: 5 }, allowed: MOD, lockedBy: null },
  { command: { type: 'breakouts.move', participantId: OTHER, roomId: DECK }, allowed: MOD, lockedBy: null },
  { command: { type: 'breakouts.broadcast', text: 'Encore 5 minutes' }, allowed: MOD, lockedBy: null },
  { command: { type: 'breakouts.capture' }, allowed: MOD, lockedBy: null },
  { command: { type: 'breakouts.end' }, allowed: MOD, lockedBy: null },
];

function expectedDecision(row: Row, actor: keyof typeof actors, locks: Locks): Decision {
  if (!row.allowed.includes(actor)) return 'forbidden';
  const a = actors[actor];
  const lockable = a.role === 'viewer' && !(row.presenterUnlocked && a.presenter);
  return lockable && row.lockedBy && locks[row.lockedBy] ? 'locked' : 'allowed';
}

describe('the permission table', () => {
  it('has a rule for every command, and this test a row for every command', () => {
    expect(Object.keys(COMMAND_PERMISSIONS).sort()).toEqual([...COMMAND_TYPES].sort());
    expect([...new Set(expected.map((r) => r.command.type))].sort()).toEqual([...COMMAND_TYPES].sort());
  });

  // Every command × every kind of actor × no lock and each lock alone and all locks at once.
  const lockSets: [string, Locks][] = [
    ['no lock', NO_LOCKS],
    ...LOCK_NAMES.map((l): [string, Locks] => [`${l} locked`, { ...NO_LOCKS, [l]: true }]),
    ['every lock', Object.fromEntries(LOCK_NAMES.map((l) => [l, true])) as Locks],
  ];
  for (const row of expected) {
    describe(JSON.stringify(row.command), () => {
      it.each(lockSets)('%s', (_name, locks) => {
        const got = Object.fromEntries(
          Object.entries(actors).map(([k, a]) => [k, decide(row.command, a, locks, context)]),
        );
        const want = Object.fromEntries(
          Object.keys(actors).map((k) => [k, expectedDecision(row, k as keyof typeof actors, locks)]),
        );
        expect(got).toEqual(want);
      });
    });
  }
});

describe('what a participant may publish to LiveKit', () => {
  const viewer = { id: ME, role: 'viewer' as const, presenter: false };
  const moderator = { id: ME, role: 'moderator' as const, presenter: false };

  it('lets a microphone participant publish camera and microphone', () => {
    expect(publishableSources({ ...viewer, audioMode: 'microphone' }, NO_LOCKS)).toEqual(['camera', 'microphone']);
  });

  it('never lets a listen-only participant publish a microphone, whatever the role', () => {
    for (const p of [viewer, moderator]) {
      expect(publishableSources({ ...p, audioMode: 'listen-only' }, NO_LOCKS)).not.toContain('microphone');
    }
  });

  it('adds screen share for the presenter only', () => {
    expect(publishableSources({ ...viewer, presenter: true, audioMode: 'listen-only' }, NO_LOCKS)).toEqual([
      'camera',
      'screen_share',
      'screen_share_audio',
    ]);
    expect(publishableSources({ ...moderator, audioMode: 'microphone' }, NO_LOCKS)).not.toContain('screen_share');
  });

  it('applies camera and microphone locks to viewers, never to moderators', () => {
    const locked = { ...NO_LOCKS, camera: true, microphone: true };
    expect(publishableSources({ ...viewer, audioMode: 'microphone' }, locked)).toEqual([]);
    expect(publishableSources({ ...viewer, presenter: true, audioMode: 'microphone' }, locked)).toEqual([
      'screen_share',
      'screen_share_audio',
    ]);
    expect(publishableSources({ ...moderator, audioMode: 'microphone' }, locked)).toEqual(['camera', 'microphone']);
  });
});

describe('what may stay published in LiveKit', () => {
  it('removes a track whose kind is not its source label, even where the label is allowed', () => {
    expect(forbiddenTrack({ kind: 'audio', source: 'camera' }, ['camera'])).toBe('kind_mismatch');
    expect(forbiddenTrack({ kind: 'audio', source: 'screen_share' }, ['screen_share'])).toBe('kind_mismatch');
    expect(forbiddenTrack({ kind: 'video', source: 'microphone' }, ['microphone'])).toBe('kind_mismatch');
    expect(forbiddenTrack({ kind: 'video', source: 'screen_share_audio' }, ['screen_share_audio'])).toBe(
      'kind_mismatch',
    );
  });

  it('removes what the rules do not allow, and unlabelled tracks', () => {
    expect(forbiddenTrack({ kind: 'audio', source: 'microphone' }, ['camera'])).toBe('not_allowed');
    expect(forbiddenTrack({ kind: 'video', source: 'camera' }, [])).toBe('not_allowed');
    expect(forbiddenTrack({ kind: 'audio', source: 'unknown' }, ['microphone'])).toBe('unknown_source');
  });

  it('keeps what matches its label and the rules', () => {
    expect(forbiddenTrack({ kind: 'audio', source: 'microphone' }, ['camera', 'microphone'])).toBeNull();
    expect(forbiddenTrack({ kind: 'video', source: 'camera' }, ['camera'])).toBeNull();
    expect(forbiddenTrack({ kind: 'audio', source: 'screen_share_audio' }, ['screen_share_audio'])).toBeNull();
  });
});

describe('rates', () => {
  it('gives every command a rate that allows at least one and refills', () => {
    for (const type of COMMAND_TYPES) {
      const { rate } = COMMAND_PERMISSIONS[type];
      expect(rate.burst).toBeGreaterThanOrEqual(1);
      expect(rate.everyMs).toBeGreaterThan(0);
    }
  });

  it("keeps a person's own gestures slower than a teacher's controls", () => {
    expect(COMMAND_PERMISSIONS['hand.raise'].rate).toBe(RATES.gesture);
    expect(COMMAND_PERMISSIONS['audio.set-mode'].rate).toBe(RATES.gesture);
    expect(COMMAND_PERMISSIONS['chat.edit'].rate).toBe(RATES.chat);
    expect(COMMAND_PERMISSIONS['participant.mute'].rate).toBe(RATES.moderation);
  });
});

describe('a student away in a breakout room', () => {
  const away: Actor = { id: ME, role: 'viewer', presenter: false, away: true };
  const send: Command = { type: 'chat.send', to: null, text: 'coucou' };

  it("may not write, edit or react in the main room's chat, but may delete their own message", () => {
    expect(decide(send, away, NO_LOCKS, context)).toBe('away');
    expect(decide({ type: 'chat.send', to: TEACHER, text: 'aide' }, away, NO_LOCKS, context)).toBe('away');
    expect(decide({ type: 'chat.edit', messageId: MY_MESSAGE, text: 'x' }, away, NO_LOCKS, context)).toBe('away');
    expect(decide({ type: 'chat.react', messageId: OTHER_MESSAGE, reaction: 'heart' }, away, NO_LOCKS, context)).toBe(
      'away',
    );
    expect(decide({ type: 'chat.delete', messageId: MY_MESSAGE }, away, NO_LOCKS, context)).toBe('allowed');
  });

  it('is back once the rooms close; a moderator visiting a room is never away from it', () => {
    expect(decide(send, { ...away, away: false }, NO_LOCKS, context)).toBe('allowed');
    expect(decide(send, { ...away, id: TEACHER, role: 'moderator' }, NO_LOCKS, context)).toBe('allowed');
  });
});
