import { Module } from '@nestjs/common';
import { CampaignsModule } from '@tongfa/campaigns';
import { AuditTrail } from '../common/audit-trail';
import { CampaignsController } from './campaigns.controller';
import { AssignmentsController } from './assignments.controller';
import { CampaignTrustController } from './campaign-trust.controller';

/** 矩阵联动 at the HTTP edge: campaigns (issuer), assignments (units), trust rules (unit admin). */
@Module({
  imports: [CampaignsModule],
  controllers: [CampaignsController, AssignmentsController, CampaignTrustController],
  providers: [AuditTrail],
})
export class CampaignsHttpModule {}
