import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { ChatCommands } from './chat.commands';
import { ChatGateway } from './chat.gateway';

@Module({ imports: [MeetingsModule], providers: [ChatCommands, ChatGateway], exports: [ChatCommands] })
export class ChatModule {}
