import {
  actorIn,
  contextOf,
  decide,
  publishableSources,
  type Command,
  type CommandType,
  type MediaSource,
  type MeetingState,
} from '@estrade/protocol';

/**
 * A command to ask about: its type, plus the fields its rule looks at (the participant or the
 * message it aims at, a private message's recipient, the audio mode asked for). Fields the rule
 * does not read may be left out: a button asks before the payload exists.
 */
export type Ask = {
  [T in CommandType]: { type: T } & Partial<Omit<Extract<Command, { type: T }>, 'type'>>;
}[CommandType];

/**
 * Whether the server's permission table lets this participant send this command now: their
 * role, presenter flag and the meeting's locks, with other participants' roles and messages'
 * authors from the state. Controls ask this rather than re-deriving who may do what.
 * `authorOf` may look further than the state (older chat pages held by the chat store).
 */
export function permits(
  state: MeetingState,
  you: string,
  ask: Ask,
  authorOf: (messageId: string) => string | undefined = (id) => state.chat.find((m) => m.id === id)?.from,
): boolean {
  const me = state.participants[you];
  if (!me) return false;
  const actor = actorIn(state, me);
  const context = { ...contextOf(state), authorOf };
  // A partial command: decide reads only the type and the fields named in Ask.
  return decide(ask as Command, actor, state.locks, context) === 'allowed';
}

/** What this participant may publish to LiveKit: the same rule the server turns into its grant. */
export function publishable(state: MeetingState, you: string): MediaSource[] {
  const me = state.participants[you];
  if (!me) return [];
  return publishableSources(
    { id: you, role: me.role, presenter: state.presenterId === you, audioMode: me.audioMode },
    state.locks,
  );
}
