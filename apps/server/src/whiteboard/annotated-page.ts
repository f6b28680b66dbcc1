import { annotationsOf, type MeetingState, type Participant } from '@estrade/protocol';
import { CommandError } from '../meetings/command-error';

/**
 * The annotations of the page a command or a live message is about. The presenter and moderators may annotate
 * any page of a presentation of the meeting (an undo after turning the page); a viewer only
 * the page on screen.
 */
export function annotatedPage(
  state: MeetingState,
  actor: Participant,
  where: { presentationId: string; page: number },
) {
  const p = state.slides.presentations.find((x) => x.id === where.presentationId);
  if (!p || where.page > p.pages) throw new CommandError('not_found', 'No such page in this meeting');
  const mayAnyPage = actor.role === 'moderator' || state.presenterId === actor.id;
  if (!mayAnyPage && (state.slides.current !== p.id || p.page !== where.page)) {
    throw new CommandError('not_found', 'This page is not on screen');
  }
  return annotationsOf(state.whiteboard, where.presentationId, where.page);
}
