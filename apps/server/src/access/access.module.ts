import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { AccessCommands } from './access.commands';
import { DurationService } from './duration.service';

@Module({ imports: [MeetingsModule], providers: [AccessCommands, DurationService], exports: [AccessCommands] })
export class AccessModule {}
