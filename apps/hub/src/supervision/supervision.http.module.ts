import { Module } from '@nestjs/common';
import { SupervisionModule } from '@tongfa/supervision';
import { AuditTrail } from '../common/audit-trail';
import { RankingsController } from './rankings.controller';
import { RectificationsController } from './rectifications.controller';
import { SpotChecksController } from './spot-checks.controller';

/** 抽查、整改、通报与排名 at the HTTP edge. */
@Module({
  imports: [SupervisionModule],
  controllers: [SpotChecksController, RectificationsController, RankingsController],
  providers: [AuditTrail],
})
export class SupervisionHttpModule {}
