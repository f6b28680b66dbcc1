import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  CreateRoomRequest,
  JoinRequest,
  type CreateRoomResponse,
  type JoinInfo,
  type JoinResponse,
} from '@estrade/protocol';
import { parseBody } from '../web/http-errors';
import { RoomsService } from './rooms.service';

@Controller('api')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Post('rooms')
  create(@Body() body: unknown): Promise<CreateRoomResponse> {
    return this.rooms.create(parseBody(CreateRoomRequest, body).name);
  }

  @Get('join/:code')
  describe(@Param('code') code: string): Promise<JoinInfo> {
    return this.rooms.describe(code);
  }

  @Post('join/:code')
  @HttpCode(200)
  join(@Param('code') code: string, @Body() body: unknown): Promise<JoinResponse> {
    const { name, audioMode } = parseBody(JoinRequest, body);
    return this.rooms.join(code, name, audioMode);
  }
}
