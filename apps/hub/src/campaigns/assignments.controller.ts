import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AssignmentsService } from '@tongfa/campaigns';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import {
  AcceptedDto,
  AssignmentDto,
  AssignmentPageDto,
  EvidenceDto,
  ExemptionDecisionDto,
  ExemptionDto,
  MyAssignmentsQueryDto,
} from './campaigns.dto';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('assignments')
export class AssignmentsController {
  constructor(
    private readonly assignments: AssignmentsService,
    private readonly trail: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: '本单位的联动任务（未完成的在前，按截止时间）/ The caller’s units’ assignments, open first' })
  @ApiOkResponse({ type: AssignmentPageDto })
  mine(@CurrentActor() actor: Actor, @Query() q: MyAssignmentsQueryDto) {
    return this.assignments.mine(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '任务分派详情 / One assignment' })
  @ApiOkResponse({ type: AssignmentDto })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.assignments.get(actor, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: '接收任务：生成转载稿，走本单位审核后发布 / Accept: the unit’s reprint manuscript' })
  @ApiOkResponse({ type: AcceptedDto })
  async accept(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const { manuscriptId, trusted, view } = await this.assignments.accept(actor, id);
    await this.trail.record({
      action: 'campaign.assignment.accept',
      targetType: 'campaign_assignment',
      targetId: id,
      unitId: view.unitId,
      after: { campaignId: view.campaignId, manuscriptId, trusted, state: view.state },
    });
    return { manuscriptId, trusted };
  }

  @Post(':id/evidence')
  @HttpCode(200)
  @ApiOperation({ summary: '提交转载链接作为完成凭证（经平台核实）/ Submit the post’s URL, verified through the plugin' })
  @ApiOkResponse({ type: AssignmentDto })
  async evidence(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: EvidenceDto) {
    const view = await this.assignments.evidence(actor, id, dto.url);
    await this.trail.record({
      action: 'campaign.assignment.evidence',
      targetType: 'campaign_assignment',
      targetId: id,
      unitId: view.unitId,
      after: { url: view.url, state: view.state },
    });
    return view;
  }

  @Post(':id/exemption')
  @HttpCode(200)
  @ApiOperation({ summary: '申请豁免 / Ask the issuer for an exemption' })
  @ApiOkResponse({ type: AssignmentDto })
  async exemption(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ExemptionDto) {
    const view = await this.assignments.requestExemption(actor, id, dto.reason);
    await this.trail.record({
      action: 'campaign.exemption.request',
      targetType: 'campaign_assignment',
      targetId: id,
      unitId: view.unitId,
      after: { reason: dto.reason },
    });
    return view;
  }

  @Post(':id/exemption/decision')
  @HttpCode(200)
  @ApiOperation({ summary: '发起单位审批豁免 / The issuer decides an exemption' })
  @ApiOkResponse({ type: AssignmentDto })
  async decide(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ExemptionDecisionDto) {
    const { view, before } = await this.assignments.decideExemption(actor, id, dto.decision, dto.comment);
    await this.trail.record({
      action: 'campaign.exemption.decide',
      targetType: 'campaign_assignment',
      targetId: id,
      unitId: view.unitId,
      before: { state: before.state, exemption: 'requested' },
      after: { decision: dto.decision, comment: dto.comment ?? null, state: view.state },
    });
    return view;
  }
}
