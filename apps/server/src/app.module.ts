import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import type { Runtime } from './config/config';
import { AccessModule } from './access/access.module';
import { ChatModule } from './chat/chat.module';
import { ClassroomModule } from './classroom/classroom.module';
import { ControlsModule } from './controls/controls.module';
import { RuntimeModule } from './infra/runtime.module';
import { LimitsModule } from './limits/limits.module';
import { LivekitModule } from './livekit/livekit.module';
import { MeetingsModule } from './meetings/meetings.module';
import { ParticipantsModule } from './participants/participants.module';
import { PresentationsModule } from './presentations/presentations.module';
import { RoomsModule } from './rooms/rooms.module';
import { SessionsModule } from './sessions/sessions.module';
import { HealthController } from './web/health.controller';
import { HttpLimitGuard } from './web/http-limit.guard';

@Module({})
export class AppModule {
  static with(runtime: Runtime, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.with(runtime, dataSource),
        LimitsModule,
        MeetingsModule,
        SessionsModule,
        LivekitModule,
        ParticipantsModule,
        RoomsModule,
        ControlsModule,
        AccessModule,
        ChatModule,
        PresentationsModule,
        ClassroomModule,
      ],
      controllers: [HealthController],
      // Every HTTP route is rate-limited: by the rate its @Limit names, else the default.
      providers: [{ provide: APP_GUARD, useClass: HttpLimitGuard }],
    };
  }
}
