import { Module } from '@nestjs/common';
import { recurringJob } from '@tongfa/jobs';
import { CampaignsService } from './campaigns.service';
import { CampaignHooks } from './campaign-hooks';
import { AssignmentsService } from './assignments.service';
import { RelaysService } from './relays.service';
import { DetectionService } from './detection.service';
import { RemindersService } from './reminders.service';
import { CampaignTrustService } from './campaign-trust.service';
import { CampaignReportService } from './campaign-report.service';

/**
 * 矩阵联动. Imported by the hub (routes) and the worker (sweeps); every process also registers
 * the manuscript hooks, since approvals land wherever a reviewer's request is served.
 */
@Module({
  providers: [
    CampaignHooks,
    CampaignsService,
    AssignmentsService,
    RelaysService,
    DetectionService,
    RemindersService,
    CampaignTrustService,
    CampaignReportService,
    // Completion follows publication closely; detection and reminders work on minutes.
    recurringJob('campaign.completion-sweep', {}, 15_000),
    recurringJob('campaign.detection-sweep', {}, 60_000),
    recurringJob('campaign.reminder-sweep', {}, 60_000),
  ],
  exports: [
    CampaignHooks,
    CampaignsService,
    AssignmentsService,
    RelaysService,
    DetectionService,
    RemindersService,
    CampaignTrustService,
    CampaignReportService,
  ],
})
export class CampaignsModule {}
