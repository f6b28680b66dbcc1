import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LiveChannel } from '../meetings/live-channel';
import { BreakoutRooms } from './breakout-rooms';

/** Entering and leaving breakout rooms: requests on the main meeting's socket, answered with a room's session. */
@Injectable()
export class BreakoutsLive implements OnModuleInit {
  constructor(
    private readonly live: LiveChannel,
    private readonly rooms: BreakoutRooms,
  ) {}

  onModuleInit() {
    this.live.onRequest('breakout.join', ({ meetingId, me }, body) => this.rooms.join(meetingId, me, body.roomId));
    this.live.onRequest('breakout.leave', ({ meetingId, me }) => this.rooms.leave(meetingId, me));
  }
}
