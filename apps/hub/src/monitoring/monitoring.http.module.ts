import { Module } from '@nestjs/common';
import { InboxInteractionFacts } from '@tongfa/inbox';
import { MonitoringModule } from '@tongfa/monitoring';
import { MonitoringController } from './monitoring.controller';

/** 监测 at the HTTP edge: the supervisors' account list and the rule sets. */
@Module({
  // The inbox measures interaction for the 不互动 veto.
  imports: [MonitoringModule.forRoot({ interaction: InboxInteractionFacts })],
  controllers: [MonitoringController],
})
export class MonitoringHttpModule {}
