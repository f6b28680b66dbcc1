import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FileId, type MeetingState, type Participant, type Presentation } from '@estrade/protocol';
import { CommandError } from '../meetings/command-error';
import { MeetingsService } from '../meetings/meetings.service';
import { SessionsService } from '../sessions/sessions.service';

/** The files token a request carries: `access` in the query, or `Authorization: Bearer`. */
export function filesTokenOf(req: Request): string | undefined {
  return typeof req.query.access === 'string' ? req.query.access : req.headers.authorization?.replace(/^Bearer /, '');
}

export interface FilesCaller {
  meetingId: string;
  actor: Participant;
  state: MeetingState;
}

/**
 * Who may fetch a presentation's files, for every route that serves them (this feature's and the
 * whiteboard's annotated PDF): the files token of a participant present in a meeting that has
 * not ended (`access` in the query, or `Authorization: Bearer`), and only files of presentations
 * in that meeting; downloads also need the presenter's permission, or to be a moderator or the presenter.
 */
@Injectable()
export class PresentationsAccess {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly sessions: SessionsService,
  ) {}

  async caller(req: Request): Promise<FilesCaller> {
    const token = filesTokenOf(req);
    const claims = token ? this.sessions.verifyFilesAccess(token) : null;
    if (!claims) throw new CommandError('unauthenticated', 'A valid access token is required');
    const { state } = await this.meetings.state(claims.meetingId);
    const actor = state.participants[claims.participantId];
    if (state.endedAt) throw new CommandError('meeting_ended', 'The meeting has ended');
    if (!actor?.present) throw new CommandError('unauthenticated', 'You are not in this meeting');
    return { meetingId: claims.meetingId, actor, state };
  }

  /** The presentations of the caller's meeting made of this file (at least one). */
  async presentationsOf(req: Request, fileId: string): Promise<{ caller: FilesCaller; presentations: Presentation[] }> {
    if (!FileId.safeParse(fileId).success) throw new CommandError('not_found', 'No such presentation');
    const caller = await this.caller(req);
    const presentations = caller.state.slides.presentations.filter((x) => x.fileId === fileId);
    if (presentations.length === 0) throw new CommandError('not_found', 'No such presentation in this meeting');
    return { caller, presentations };
  }

  /** The first of these presentations the caller may download: a downloadable one, or any for moderators and the presenter. */
  toDownload({ actor, state }: FilesCaller, presentations: Presentation[]): Presentation {
    const mayAlways = actor.role === 'moderator' || state.presenterId === actor.id;
    const p = presentations.find((x) => x.downloadable) ?? (mayAlways ? presentations[0] : null);
    if (!p) throw new CommandError('forbidden', 'The presenter has not allowed downloading this presentation');
    return p;
  }
}
