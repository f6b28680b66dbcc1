import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { ChatHistoryRequest, ChatTyping, readsMessage, SOCKET, type CommandReply } from '@estrade/protocol';
import { MeetingsService } from '../meetings/meetings.service';
import { meetingRoom, SOCKET_OPTIONS } from '../meetings/socket-rooms';

interface SocketData {
  meetingId?: string;
  participantId?: string;
}

/**
 * The chat's two requests that are not commands: older history (a read), and "typing…" (transient
 * traffic, relayed and never logged).
 */
@WebSocketGateway(SOCKET_OPTIONS)
export class ChatGateway {
  constructor(private readonly meetings: MeetingsService) {}

  @SubscribeMessage(SOCKET.chatHistory)
  async history(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<CommandReply> {
    const { meetingId, participantId } = socket.data as SocketData;
    if (!meetingId || !participantId) return { ok: false, code: 'unauthenticated', message: 'Not in a meeting' };
    const req = ChatHistoryRequest.safeParse(body);
    if (!req.success) return { ok: false, code: 'malformed', message: 'Malformed history request' };
    const { state } = await this.meetings.state(meetingId);
    const mine = state.chat.filter((m) => readsMessage(m, participantId));
    const end = req.data.before ? mine.findIndex((m) => m.id === req.data.before) : mine.length;
    if (end < 0) return { ok: false, code: 'not_found', message: 'No such message' };
    const start = Math.max(0, end - req.data.limit);
    return { ok: true, result: { messages: mine.slice(start, end).reverse(), more: start > 0 } };
  }

  @SubscribeMessage(SOCKET.chatTyping)
  typing(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): void {
    const { meetingId, participantId } = socket.data as SocketData;
    const req = ChatTyping.safeParse(body);
    if (!meetingId || !participantId || !req.success) return;
    const relay = { from: participantId, to: req.data.to };
    const room = meetingRoom(meetingId);
    if (req.data.to === null) {
      socket.to(room).emit(SOCKET.chatTyping, relay);
      return;
    }
    for (const id of socket.nsp.adapter.rooms.get(room) ?? []) {
      const other = socket.nsp.sockets.get(id);
      if ((other?.data as SocketData | undefined)?.participantId === req.data.to) other!.emit(SOCKET.chatTyping, relay);
    }
  }
}
