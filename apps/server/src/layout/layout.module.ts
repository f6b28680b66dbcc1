import { Module } from '@nestjs/common';
import { LayoutCommands } from './layout.commands';

@Module({ providers: [LayoutCommands], exports: [LayoutCommands] })
export class LayoutModule {}
