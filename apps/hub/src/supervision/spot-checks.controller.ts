import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor } from '@tongfa/identity';
import { SpotCheckReportService, SpotChecksService } from '@tongfa/supervision';
import { CurrentActor } from '../common/decorators';
import { PageQueryDto } from '../common/dto';
import { AuditTrail } from '../common/audit-trail';
import {
  CreateSpotCheckDto,
  FindingDto,
  FindingViewDto,
  PatchSpotCheckDto,
  ReportQueryDto,
  SpotCheckDto,
  SpotCheckListQueryDto,
  SpotCheckPageDto,
} from './supervision.dto';

@ApiTags('supervision')
@ApiBearerAuth()
@Controller('spot-checks')
export class SpotChecksController {
  constructor(
    private readonly rounds: SpotChecksService,
    private readonly reports: SpotCheckReportService,
    private readonly trail: AuditTrail,
  ) {}

  @Post()
  @ApiOperation({ summary: '发起抽查：按平台×单位层级分层随机抽样（种子可复现）/ Open a spot-check round: a stratified, seeded sample' })
  @ApiCreatedResponse({ type: SpotCheckDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateSpotCheckDto) {
    const round = await this.rounds.create(actor, dto);
    await this.trail.record({
      action: 'spot_check.create',
      targetType: 'spot_check',
      targetId: round.id,
      unitId: round.rootUnitId,
      after: {
        period: round.period,
        ratio: round.ratio,
        minRatio: round.minRatio,
        seed: round.seed,
        algorithm: round.algorithm,
        population: round.population,
        sampled: round.sampled,
      },
    });
    return round;
  }

  @Get()
  @ApiOperation({ summary: '管辖范围内的抽查轮次 / Rounds within the caller’s subtree' })
  @ApiOkResponse({ type: SpotCheckPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: SpotCheckListQueryDto) {
    return this.rounds.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({
    summary:
      '抽查轮次：种子与推导过程、检查清单，样本分页（sample: {items, total}，含发现）/ A round with its seed, derivation and checklist, and one page of its sample with findings',
  })
  @ApiOkResponse({ type: SpotCheckDto })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: PageQueryDto) {
    return this.rounds.get(actor, id, q);
  }

  @Get(':id/population')
  @ApiOperation({
    summary:
      '抽查总体（分页，按分层与账号 ID 排序）：连同种子即可复现抽样 / The round’s population, paged in stratum and account order: with the seed, enough to draw the sample again',
  })
  population(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: PageQueryDto) {
    return this.rounds.population(actor, id, q);
  }

  @Patch(':id')
  @ApiOperation({ summary: '编辑通报的“三、工作要求” / Edit the 通报’s requirements' })
  @ApiOkResponse({ type: SpotCheckDto })
  async patch(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: PatchSpotCheckDto) {
    const { before, round } = await this.rounds.updateRequirements(actor, id, dto.requirements);
    await this.trail.record({
      action: 'spot_check.requirements',
      targetType: 'spot_check',
      targetId: id,
      unitId: round.rootUnitId,
      before: { requirements: before },
      after: { requirements: round.requirements },
    });
    return round;
  }

  @Post(':id/findings')
  @ApiOperation({ summary: '记录检查结果；不合格即向账号所属单位下发整改通知 / Record a finding; a failure sends a rectification order' })
  @ApiCreatedResponse({ type: FindingViewDto })
  async finding(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: FindingDto) {
    const { round, finding, before, rectification, created } = await this.rounds.recordFinding(actor, id, dto);
    await this.trail.record({
      action: 'spot_check.finding',
      targetType: 'spot_check',
      targetId: id,
      unitId: round.unitId,
      before: before ? { result: before } : null,
      after: {
        accountId: dto.accountId,
        item: finding.item,
        result: finding.result,
        note: finding.note,
        rectificationId: rectification?.id ?? null,
      },
    });
    if (rectification && created) {
      await this.trail.record({
        action: 'rectification.create',
        targetType: 'rectification',
        targetId: rectification.id,
        unitId: rectification.unitId,
        after: {
          roundId: id,
          accountId: rectification.accountId,
          item: rectification.item,
          deadline: rectification.deadline.toISOString(),
        },
      });
    }
    return { ...finding, rectificationId: rectification?.id ?? null };
  }

  @Get(':id/report')
  @ApiOperation({ summary: '抽查通报（xlsx 或 pdf）/ The round’s 通报 as xlsx or PDF' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  async report(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: ReportQueryDto,
  ): Promise<StreamableFile> {
    const out = q.format === 'pdf' ? await this.reports.pdf(actor, id) : await this.reports.xlsx(actor, id);
    await this.trail.record({
      action: 'spot_check.report',
      targetType: 'spot_check',
      targetId: id,
      after: { format: q.format, bytes: out.buffer.length },
    });
    return new StreamableFile(out.buffer, {
      type: q.format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      disposition: `attachment; filename="${out.filename}"`,
      length: out.buffer.length,
    });
  }
}
