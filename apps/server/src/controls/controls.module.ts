import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { ControlsCommands } from './controls.commands';

@Module({ imports: [MeetingsModule], providers: [ControlsCommands], exports: [ControlsCommands] })
export class ControlsModule {}
