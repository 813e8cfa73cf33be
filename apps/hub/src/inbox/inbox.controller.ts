import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InboxMetricsService, InboxSettingsService, ModerationService, RepliesService, ThreadsService } from '@tongfa/inbox';
import { Actor } from '@tongfa/identity';
import { CurrentActor } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import {
  AssigneeDto,
  AssignThreadDto,
  CreateNoteDto,
  CreateReplyDto,
  InboxSettingsDto,
  MetricsDto,
  MetricsQueryDto,
  ModerateCommentDto,
  ModerationDto,
  NoteDto,
  ReplyDto,
  ReplyReviewDto,
  SettleUnconfirmedDto,
  ThreadDetailDto,
  ThreadDto,
  ThreadListQueryDto,
  ThreadPageDto,
} from './inbox.dto';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly threads: ThreadsService,
    private readonly replies: RepliesService,
    private readonly moderation: ModerationService,
    private readonly metricsService: InboxMetricsService,
    private readonly settings: InboxSettingsService,
    private readonly trail: AuditTrail,
  ) {}

  @Get('threads')
  @ApiOperation({ summary: '互动会话列表（按单位、平台、状态、时限筛选）/ Threads of the caller’s subtree' })
  @ApiOkResponse({ type: ThreadPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: ThreadListQueryDto) {
    return this.threads.list(actor, q);
  }

  @Get('threads/:id')
  @ApiOperation({ summary: '会话详情：留言、回复、内部备注 / A thread with its items, replies and notes' })
  @ApiOkResponse({ type: ThreadDetailDto })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.threads.get(actor, id);
  }

  @Post('threads/:id/replies')
  @ApiOperation({
    summary: '回复群众：先经合规检查（有阻断项则不发送），按单位设置送审，再经插件发送一次 / Reply: checked, maybe reviewed, sent once',
  })
  @ApiCreatedResponse({ type: ReplyDto })
  async reply(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: CreateReplyDto) {
    const view = await this.replies.create(actor, id, dto);
    const thread = await this.threads.readable(actor, id);
    await this.trail.record({
      action: view.state === 'blocked' ? 'inbox.reply.blocked' : 'inbox.reply.create',
      targetType: 'inbox_thread',
      targetId: id,
      unitId: thread.unitId,
      unitPath: thread.unitPath,
      after: { replyId: view.id, state: view.state, text: view.text, findings: view.findings.map((f) => f.rule) },
    });
    return view;
  }

  @Post('threads/:id/moderations')
  @ApiOperation({
    summary:
      '隐藏或删除群众评论（仅本单位编辑或单位管理员，须填理由，记入审计，经插件执行一次）/ Hide or delete a citizen’s comment (unit editor or admin only; reason required; audited; done once)',
  })
  @ApiCreatedResponse({ type: ModerationDto })
  async moderate(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ModerateCommentDto) {
    const { view, thread, created } = await this.moderation.request(actor, id, dto);
    // A repeated request returns the first decision and records nothing new.
    if (created) {
      await this.trail.record({
        action: `inbox.comment.${view.action}`,
        targetType: 'inbox_thread',
        targetId: id,
        unitId: thread.unitId,
        unitPath: thread.unitPath,
        after: { moderationId: view.id, commentId: view.commentId, action: view.action, reason: view.reason },
      });
    }
    return view;
  }

  @Post('replies/:id/review')
  @HttpCode(200)
  @ApiOperation({ summary: '审核回复（单位设置了回复须审核时）/ The one review step of a reply' })
  @ApiOkResponse({ type: ReplyDto })
  async review(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ReplyReviewDto) {
    const view = await this.replies.review(actor, id, dto.decision);
    await this.recordReplyStep(actor, view, dto.decision);
    return view;
  }

  @Get('threads/:id/assignees')
  @ApiOperation({ summary: '可指派的人：本单位在职的编辑和单位管理员 / Who the thread may be given to' })
  @ApiOkResponse({ type: [AssigneeDto] })
  assignees(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.threads.assignees(actor, id);
  }

  @Post('replies/:id/confirmation')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '待人工核实的回复：到平台核实后记为已送达，或重新发送（仅本单位可办理的人员）/ An unconfirmed reply, after checking the platform: it arrived, or send it again',
  })
  @ApiOkResponse({ type: ReplyDto })
  async settle(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: SettleUnconfirmedDto) {
    const view = await this.replies.settleUnconfirmed(actor, id, dto.outcome);
    await this.recordReplyStep(actor, view, dto.outcome);
    return view;
  }

  @Post('threads/:id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: '指派给本单位的编辑或管理员 / Give the thread to someone of its unit' })
  @ApiOkResponse({ type: ThreadDto })
  async assign(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AssignThreadDto) {
    const { before, view, unitPath } = await this.threads.assign(actor, id, dto.assigneeId);
    await this.trail.record({
      action: 'inbox.thread.assign',
      targetType: 'inbox_thread',
      targetId: id,
      unitId: view.unitId,
      unitPath,
      before: { assigneeId: before },
      after: { assigneeId: view.assigneeId },
    });
    return view;
  }

  @Post('threads/:id/close')
  @HttpCode(200)
  @ApiOperation({ summary: '办结 / Close the thread' })
  @ApiOkResponse({ type: ThreadDto })
  async close(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    const view = await this.threads.close(actor, id);
    await this.trail.record({ action: 'inbox.thread.close', targetType: 'inbox_thread', targetId: id, unitId: view.unitId });
    return view;
  }

  @Get('threads/:id/notes')
  @ApiOperation({ summary: '内部备注 / Internal notes' })
  @ApiOkResponse({ type: [NoteDto] })
  notes(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.threads.notes(actor, id);
  }

  @Post('threads/:id/notes')
  @ApiOperation({ summary: '写内部备注（群众不可见）/ Add an internal note (never shown to the citizen)' })
  @ApiCreatedResponse({ type: NoteDto })
  async addNote(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: CreateNoteDto) {
    const { note, thread } = await this.threads.addNote(actor, id, dto.text);
    await this.trail.record({
      action: 'inbox.note.create',
      targetType: 'inbox_thread',
      targetId: id,
      unitId: thread.unitId,
      unitPath: thread.unitPath,
      after: { noteId: note.id },
    });
    return note;
  }

  @Get('metrics')
  @ApiOperation({
    summary: '互动指标：响应率、首次响应中位数（工作分钟）、按时答复率、超期未答复 / Interaction metrics per account and unit',
  })
  @ApiOkResponse({ type: MetricsDto })
  metrics(@CurrentActor() actor: Actor, @Query() q: MetricsQueryDto) {
    return this.metricsService.metrics(actor, q);
  }

  @Get('units/:id/settings')
  @ApiOperation({ summary: '单位互动设置：工作时间、时限、审核、负责人 / A unit’s inbox settings' })
  @ApiOkResponse({ type: InboxSettingsDto })
  getSettings(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.settings.get(actor, id);
  }

  @Put('units/:id/settings')
  @ApiOperation({ summary: '修改单位互动设置（单位管理员）/ Change a unit’s inbox settings (unit admin)' })
  @ApiOkResponse({ type: InboxSettingsDto })
  async putSettings(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: InboxSettingsDto) {
    const { before, after, unitPath } = await this.settings.update(actor, id, dto);
    await this.trail.record({
      action: 'inbox.settings.update',
      targetType: 'unit',
      targetId: id,
      unitId: id,
      unitPath,
      before: { ...before },
      after: { ...after },
    });
    return after;
  }

  /** A step on one reply (review, a person's check of an unconfirmed one), audited on the reply. */
  private async recordReplyStep(actor: Actor, view: { id: string; threadId: string; state: string }, step: string): Promise<void> {
    const thread = await this.threads.readable(actor, view.threadId);
    await this.trail.record({
      action: `inbox.reply.${step}`,
      targetType: 'inbox_reply',
      targetId: view.id,
      unitId: thread.unitId,
      unitPath: thread.unitPath,
      after: { state: view.state },
    });
  }
}
