import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CampaignReportService, CampaignsService } from '@tongfa/campaigns';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import {
  AssignmentListQueryDto,
  AssignmentPageDto,
  CampaignDetailDto,
  CampaignDto,
  CampaignListQueryDto,
  CampaignPageDto,
  CreateCampaignDto,
  DashboardDto,
  DashboardQueryDto,
  RetractRelaysDto,
} from './campaigns.dto';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly reports: CampaignReportService,
    private readonly trail: AuditTrail,
  ) {}

  @Post()
  @ApiOperation({ summary: '发起联动任务（矩阵联动）/ Issue a campaign to units of the subtree' })
  @ApiCreatedResponse({ type: CampaignDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateCampaignDto) {
    const view = await this.campaigns.create(actor, dto);
    await this.trail.record({
      action: 'campaign.create',
      targetType: 'campaign',
      targetId: view.id,
      unitId: view.issuerUnitId,
      after: {
        title: view.title,
        source: view.source,
        targets: dto.targets,
        platforms: view.platforms,
        deadline: view.deadline.toISOString(),
        reminders: view.reminders,
        allowAdaptation: view.allowAdaptation,
        assignments: view.counts.total,
      },
    });
    return view;
  }

  @Get()
  @ApiOperation({ summary: '本单位及下级发起的联动任务 / Campaigns issued within the caller’s subtree' })
  @ApiOkResponse({ type: CampaignPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: CampaignListQueryDto) {
    return this.campaigns.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '联动任务详情（含转载列表）/ A campaign with counts and relays' })
  @ApiOkResponse({ type: CampaignDetailDto })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.campaigns.get(actor, id);
  }

  @Get(':id/dashboard')
  @ApiOperation({ summary: '联动看板：按单位汇总、按平台、时间线、逾期名单 / Live completion rolled up the tree' })
  @ApiOkResponse({ type: DashboardDto })
  dashboard(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: DashboardQueryDto) {
    return this.campaigns.dashboard(actor, id, q.parentUnitId);
  }

  @Get(':id/assignments')
  @ApiOperation({ summary: '任务分派列表 / The campaign’s assignments' })
  @ApiOkResponse({ type: AssignmentPageDto })
  assignments(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: AssignmentListQueryDto) {
    return this.campaigns.assignments(actor, id, q);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: '结束联动任务：停止检测和提醒，未完成的记为逾期 / Close: polling and reminders stop' })
  @ApiOkResponse({ type: CampaignDto })
  async close(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const { campaign, overdue } = await this.campaigns.close(actor, id);
    await this.trail.record({
      action: 'campaign.close',
      targetType: 'campaign',
      targetId: id,
      unitId: campaign.unitId,
      before: { status: 'open' },
      after: { status: 'closed', overdue },
    });
    const { relays: _relays, ...view } = await this.campaigns.get(actor, id);
    return view;
  }

  @Post(':id/relays/retract')
  @HttpCode(200)
  @ApiOperation({ summary: '撤回统发发布的转载；单位自行发布的需联系单位 / Retract the relays Tongfa published' })
  async retractRelays(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: RetractRelaysDto) {
    const reason = dto.reason?.trim() || '联动原稿撤回 / the campaign’s source was retracted';
    const res = await this.campaigns.retractRelays(actor, id, reason);
    await this.trail.record({
      action: 'campaign.relays.retract',
      targetType: 'campaign',
      targetId: id,
      unitId: res.campaign.unitId,
      after: { reason, publications: res.retracted, askUnit: res.askUnit.map((r) => r.assignmentId) },
    });
    return { retracted: res.retracted, askUnit: res.askUnit, notRetractable: res.notRetractable };
  }

  @Get(':id/report')
  @ApiOperation({ summary: '联动任务报表（xlsx）/ The campaign report as xlsx' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async report(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<StreamableFile> {
    const { filename, buffer } = await this.reports.build(actor, id);
    await this.trail.record({ action: 'campaign.report', targetType: 'campaign', targetId: id, after: { bytes: buffer.length } });
    return new StreamableFile(buffer, { disposition: `attachment; filename="${filename}"`, length: buffer.length });
  }
}
