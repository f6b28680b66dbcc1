import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { LivekitWebhookController } from './livekit-webhook.controller';
import { LivekitService } from './livekit.service';

@Module({
  imports: [MeetingsModule],
  controllers: [LivekitWebhookController],
  providers: [LivekitService],
  exports: [LivekitService],
})
export class LivekitModule {}
