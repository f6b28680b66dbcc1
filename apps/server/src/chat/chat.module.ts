import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { ChatCommands } from './chat.commands';
import { ChatLive } from './chat.live';

@Module({ imports: [MeetingsModule], providers: [ChatCommands, ChatLive], exports: [ChatCommands] })
export class ChatModule {}
