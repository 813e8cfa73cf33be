import { Module } from '@nestjs/common';
import { MonitoringModule } from '@tongfa/monitoring';
import { MonitoringController } from './monitoring.controller';

/** 监测 at the HTTP edge: the supervisors' account list and the rule sets. */
@Module({
  imports: [MonitoringModule],
  controllers: [MonitoringController],
})
export class MonitoringHttpModule {}
