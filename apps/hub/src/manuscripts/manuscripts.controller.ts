import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ComplianceGate, complianceSubjectOf, Manuscript, ManuscriptsService, ManuscriptVersion, ReviewService } from '@tongfa/manuscripts';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import {
  CreateManuscriptDto,
  ManuscriptListQueryDto,
  ReviewDto,
  SetChainMinimumsDto,
  SetChainsDto,
  UpdateManuscriptDto,
} from './manuscripts.dto';

const brief = (m: Manuscript & { version?: ManuscriptVersion }) => ({
  title: m.title,
  status: m.status,
  version: m.currentVersionNumber,
  category: m.category,
  // Which platforms the version adapts (各平台适配), so the trail shows when a platform's own text appeared.
  ...(m.version?.adaptations ? { adaptedPlatforms: Object.keys(m.version.adaptations) } : {}),
});

@ApiTags('manuscripts')
@ApiBearerAuth()
@Controller()
export class ManuscriptsController {
  constructor(
    private readonly manuscripts: ManuscriptsService,
    private readonly review: ReviewService,
    private readonly compliance: ComplianceGate,
    private readonly trail: AuditTrail,
  ) {}

  @Get('manuscripts')
  @ApiOperation({ summary: '稿件列表（草稿仅本单位采编可见）/ Manuscripts; drafts only for the unit’s editors' })
  list(@CurrentActor() actor: Actor, @Query() q: ManuscriptListQueryDto) {
    return this.manuscripts.list(actor, q);
  }

  @Post('manuscripts')
  @ApiOperation({ summary: '新建稿件（第 1 版）/ Write a manuscript (version 1)' })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateManuscriptDto) {
    const view = await this.manuscripts.create(actor, dto);
    await this.trail.record({
      action: 'manuscript.create',
      targetType: 'manuscript',
      targetId: view.id,
      unitId: view.unitId,
      unitPath: view.unitPath,
      after: brief(view),
    });
    return view;
  }

  @Get('manuscripts/:id')
  @ApiOperation({ summary: '稿件详情（当前版本）/ A manuscript with its current version' })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.manuscripts.get(actor, id);
  }

  @Patch('manuscripts/:id')
  @ApiOperation({ summary: '修改稿件（生成新版本；已审稿件须重新送审）/ Save a new version; an approved one goes back to review' })
  async update(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateManuscriptDto) {
    const { view, reopened } = await this.manuscripts.update(actor, id, dto);
    await this.trail.record({
      action: reopened ? 'manuscript.reopen' : 'manuscript.update',
      targetType: 'manuscript',
      targetId: id,
      unitId: view.unitId,
      unitPath: view.unitPath,
      after: brief(view),
    });
    return { ...view, reopened };
  }

  @Get('manuscripts/:id/versions')
  @ApiOperation({ summary: '版本历史 / All versions, newest first' })
  versions(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.manuscripts.versions(actor, id);
  }

  @Get('manuscripts/:id/versions/:versionId')
  @ApiOperation({ summary: '某一版本 / One version' })
  version(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('versionId', new ParseUUIDPipe()) versionId: string,
  ) {
    return this.manuscripts.version(actor, id, versionId);
  }

  @Post('manuscripts/:id/check')
  @HttpCode(200)
  @ApiOperation({ summary: '内容检查（五关）/ Run the compliance checks on the current version' })
  async check(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const view = await this.manuscripts.get(actor, id);
    const verdict = await this.compliance.check({ ...complianceSubjectOf(view.version), unitPath: view.unitPath }, { phase: 'preview' });
    return { versionId: view.version.id, ok: verdict.blocking.length === 0, ...verdict };
  }

  @Post('manuscripts/:id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: '送审 / Submit for review (blocking findings stop it)' })
  async submit(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const { manuscript, verdict } = await this.review.submit(actor, id);
    await this.trail.record({
      action: 'manuscript.submit',
      targetType: 'manuscript',
      targetId: id,
      unitId: manuscript.unitId,
      unitPath: manuscript.unitPath,
      after: { ...brief(manuscript), chain: manuscript.chain, warnings: verdict.warnings.length },
    });
    return { ...manuscript, warnings: verdict.warnings };
  }

  @Post('manuscripts/:id/reviews')
  @HttpCode(200)
  @ApiOperation({ summary: '审核（通过或退回）/ Approve or reject the current step' })
  async decide(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ReviewDto) {
    const { manuscript, decision } = await this.review.decide(actor, id, dto);
    await this.trail.record({
      action: dto.decision === 'approve' ? 'review.approve' : 'review.reject',
      targetType: 'manuscript',
      targetId: id,
      unitId: manuscript.unitId,
      unitPath: manuscript.unitPath,
      after: {
        step: decision.step,
        level: decision.level,
        versionId: decision.versionId,
        comment: decision.comment,
        status: manuscript.status,
      },
    });
    return { ...manuscript, decision };
  }

  @Get('manuscripts/:id/reviews')
  @ApiOperation({ summary: '审核记录 / The review decisions, oldest first' })
  history(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.review.history(actor, id);
  }

  @Get('reviews/pending')
  @ApiOperation({ summary: '待我审核 / What waits for my review' })
  async pending(@CurrentActor() actor: Actor) {
    const items = await this.review.pending(actor);
    return { items, total: items.length };
  }

  @Get('units/:id/review-chains')
  @ApiOperation({ summary: '审核流程（按类别，含继承）/ Review chains per category, with inheritance' })
  chains(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.review.chains(actor, id);
  }

  @Put('units/:id/review-chains')
  @ApiOperation({ summary: '设置审核流程 / Set the unit’s review chains' })
  async setChains(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: SetChainsDto) {
    const chains = await this.review.setChains(actor, id, dto.chains);
    await this.trail.record({ action: 'review-chain.set', targetType: 'unit', targetId: id, unitId: id, after: { chains: dto.chains } });
    return chains;
  }

  @Get('review-chain-minimums')
  @ApiOperation({ summary: '全省审核环节最低要求 / The province’s minimum review steps per category' })
  minimums() {
    return this.review.minimums();
  }

  @Put('review-chain-minimums')
  @ApiOperation({
    summary: '设置全省审核环节最低要求（仅省级单位管理员）/ Set the minimum review steps (the province’s unit admin only)',
    description:
      'No unit may set a chain of a category with fewer steps (400 REVIEW_CHAIN_BELOW_MINIMUM naming the category), and a shorter chain set earlier is no longer inherited: the nearest chain that meets the minimum applies, else the default one extended to it.',
  })
  async setMinimums(@CurrentActor() actor: Actor, @Body() dto: SetChainMinimumsDto) {
    const minimums = await this.review.setMinimums(actor, dto.minimums);
    await this.trail.record({ action: 'review-chain.minimums', targetType: 'review_chain_minimum', after: { minimums: dto.minimums } });
    return minimums;
  }
}
