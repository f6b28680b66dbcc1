import {
  ConnectedSocket,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { SOCKET, type CommandReply, type FilesAccess, type PresentationProgress } from '@estrade/protocol';
import { meetingRoom, SOCKET_OPTIONS } from '../meetings/socket-rooms';
import { SessionsService } from '../sessions/sessions.service';
import { PresentationsService } from './presentations.service';

interface SocketData {
  meetingId?: string;
  participantId?: string;
}

/**
 * The presentations' socket traffic that is not a command: the files token a client puts in file
 * URLs, and processing progress (transient: relayed, never logged).
 */
@WebSocketGateway(SOCKET_OPTIONS)
export class PresentationsGateway implements OnGatewayInit {
  @WebSocketServer() private io!: Server;

  constructor(
    private readonly presentations: PresentationsService,
    private readonly sessions: SessionsService,
  ) {}

  afterInit() {
    this.presentations.onProgress((meetingIds, fileId, done, total) => {
      const progress: PresentationProgress = { fileId, done, total };
      for (const id of meetingIds) this.io.to(meetingRoom(id)).emit(SOCKET.presentationProgress, progress);
    });
  }

  @SubscribeMessage(SOCKET.presentationAccess)
  access(@ConnectedSocket() socket: Socket): CommandReply {
    const { meetingId, participantId } = socket.data as SocketData;
    if (!meetingId || !participantId) return { ok: false, code: 'unauthenticated', message: 'Not in a meeting' };
    const result: FilesAccess = {
      access: this.sessions.issueFilesAccess(participantId, meetingId),
      limits: this.presentations.limits,
    };
    return { ok: true, result };
  }
}
