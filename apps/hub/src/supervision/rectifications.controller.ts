import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@tongfa/identity';
import { RectificationsService } from '@tongfa/supervision';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { RectificationDto, RectificationListQueryDto, RectificationPageDto, RespondDto, ReviewDto } from './supervision.dto';

/** The audited action of each re-check decision. */
const REVIEW_ACTIONS = {
  close: { action: 'rectification.close' },
  reopen: { action: 'rectification.reopen' },
  escalate: { action: 'rectification.escalate' },
} as const;

@ApiTags('supervision')
@ApiBearerAuth()
@Controller('rectifications')
export class RectificationsController {
  constructor(
    private readonly rectifications: RectificationsService,
    private readonly trail: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: '整改通知：单位看本单位的，主管单位看管辖范围的；逾期的标明 / Rectification orders, overdue ones named' })
  @ApiOkResponse({ type: RectificationPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: RectificationListQueryDto) {
    return this.rectifications.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '整改通知详情 / One rectification order' })
  @ApiOkResponse({ type: RectificationDto })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.rectifications.get(actor, id);
  }

  @Post(':id/response')
  @HttpCode(200)
  @ApiOperation({ summary: '单位回复整改情况（附佐证链接或素材）/ The unit answers with what it did and evidence' })
  @ApiOkResponse({ type: RectificationDto })
  async respond(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: RespondDto) {
    const { before, order } = await this.rectifications.respond(actor, id, dto);
    await this.trail.record({
      action: 'rectification.respond',
      targetType: 'rectification',
      targetId: id,
      unitId: order.unitId,
      before: { state: before },
      after: {
        state: order.state,
        answeredLate: order.answeredLate,
        urls: order.response?.urls ?? [],
        mediaIds: order.response?.mediaIds ?? [],
      },
    });
    return order;
  }

  @Post(':id/review')
  @HttpCode(200)
  @ApiOperation({ summary: '主管单位复核：销号、退回重改或上报 / The supervisor re-checks: close, reopen or escalate' })
  @ApiOkResponse({ type: RectificationDto })
  async review(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ReviewDto) {
    const { before, order } = await this.rectifications.review(actor, id, dto);
    await this.trail.record({
      ...REVIEW_ACTIONS[dto.decision],
      targetType: 'rectification',
      targetId: id,
      unitId: order.unitId,
      before: { state: before },
      after: { state: order.state, note: order.reviewNote, deadline: order.deadline.toISOString() },
    });
    return order;
  }
}
