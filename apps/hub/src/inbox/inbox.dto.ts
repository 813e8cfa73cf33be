import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MODERATION_ACTIONS, THREAD_KINDS, THREAD_STATES, REPLY_STATES, ThreadKind, ThreadState } from '@tongfa/inbox';
import { PageQueryDto } from '../common/dto';

export class ThreadListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '此单位及其下级 / this unit and its subtree' })
  @IsOptional()
  @IsUUID('all', { message: 'unitId 须为 UUID / must be a UUID' })
  unitId?: string;

  @ApiPropertyOptional({ example: 'wechat' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'platform 须为插件标识 / must be a plugin id' })
  platform?: string;

  @ApiPropertyOptional({ enum: THREAD_STATES })
  @IsOptional()
  @IsIn(THREAD_STATES, { message: `state 须为 ${THREAD_STATES.join('|')} 之一 / must be one of them` })
  state?: ThreadState;

  @ApiPropertyOptional({ enum: THREAD_KINDS })
  @IsOptional()
  @IsIn(THREAD_KINDS, { message: `kind 须为 ${THREAD_KINDS.join('|')} 之一 / must be one of them` })
  kind?: ThreadKind;

  @ApiPropertyOptional({ enum: ['overdue', 'today'], description: '已超时 / 今日到期（首次响应）/ first response overdue or due today' })
  @IsOptional()
  @IsIn(['overdue', 'today'], { message: 'due 须为 overdue|today / must be overdue or today' })
  due?: 'overdue' | 'today';

  @ApiPropertyOptional({ enum: ['me'] })
  @IsOptional()
  @IsIn(['me'], { message: 'assignee 只能为 me / must be me' })
  assignee?: 'me';
}

export class CreateReplyDto {
  @ApiProperty({ example: '您好，您反映的路灯问题已转交城管部门，预计三个工作日内修复。' })
  @IsString({ message: 'text 回复内容须为文本 / must be text' })
  @Length(1, 2000, { message: 'text 回复内容须为 1–2000 字 / 1 to 2000 characters' })
  text: string;

  @ApiPropertyOptional({ description: '同一键重复提交只生成一条回复 / the same key creates one reply' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{8,64}$/, { message: 'idempotencyKey 须为 8–64 位字母数字 / 8 to 64 letters, digits, _ or -' })
  idempotencyKey?: string;
}

export class ModerateCommentDto {
  @ApiProperty({ enum: MODERATION_ACTIONS, description: '隐藏或删除（按平台是否支持）/ hide or delete, where the platform allows it' })
  @IsIn(MODERATION_ACTIONS, { message: 'action 操作须为 hide（隐藏）或 delete（删除）/ must be hide or delete' })
  action: 'hide' | 'delete';

  @ApiProperty({ example: '含有他人身份证号等个人信息', description: '理由（必填，记入审计）/ why (required, audited)' })
  @IsString({ message: 'reason 理由须为文本 / must be text' })
  @Matches(/\S/, { message: 'reason 理由不能为空 / must not be blank' })
  @Length(1, 500, { message: 'reason 理由须为 1–500 字 / 1 to 500 characters' })
  reason: string;

  @ApiPropertyOptional({ description: '会话中群众评论的平台 id；缺省为会话的首条评论 / the comment; default: the thread’s top comment' })
  @IsOptional()
  @IsString({ message: 'commentId 评论须为文本 id / must be a string id' })
  @Length(1, 200, { message: 'commentId 评论 id 须为 1–200 字符 / 1 to 200 characters' })
  commentId?: string;
}

export class ModerationDto {
  @ApiProperty() id: string;
  @ApiProperty() threadId: string;
  @ApiProperty() commentId: string;
  @ApiProperty({ enum: MODERATION_ACTIONS }) action: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['pending', 'sending', 'done', 'failed'] }) state: string;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true }) lastError: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({ nullable: true }) doneAt: Date | null;
}

export class ReplyReviewDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: 'decision 须为 approve|reject / must be approve or reject' })
  decision: 'approve' | 'reject';
}

export class SettleUnconfirmedDto {
  @ApiProperty({
    enum: ['arrived', 'resend'],
    description: '到平台核实后：arrived 已送达（记为已发送）；resend 未送达（重新发送）/ after checking the platform',
  })
  @IsIn(['arrived', 'resend'], { message: 'outcome（核实结果）须为 arrived|resend / must be arrived or resend' })
  outcome: 'arrived' | 'resend';
}

export class AssignThreadDto {
  @ApiProperty({ description: '本单位在职的编辑或单位管理员 / an active editor or admin of the unit' })
  @IsUUID('all', { message: 'assigneeId 须为 UUID / must be a UUID' })
  assigneeId: string;
}

export class CreateNoteDto {
  @ApiProperty({ example: '已电话联系群众，约定周五上门核实。' })
  @IsString({ message: 'text 备注须为文本 / must be text' })
  @Length(1, 2000, { message: 'text 备注须为 1–2000 字 / 1 to 2000 characters' })
  text: string;
}

export class MetricsQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'unitId 须为 UUID / must be a UUID' })
  unitId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00+08:00' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from 须为 ISO 8601 时间 / must be an ISO 8601 time' })
  from?: Date;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to 须为 ISO 8601 时间 / must be an ISO 8601 time' })
  to?: Date;

  @ApiPropertyOptional({ example: 3, description: '超过 N 天未答复 / unanswered older than N days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'olderThanDays 须为整数 / must be an integer' })
  @Min(1, { message: 'olderThanDays 至少 1 / at least 1' })
  @Max(365, { message: 'olderThanDays 至多 365 / at most 365' })
  olderThanDays?: number;
}

export class WorkingPeriodDto {
  @ApiProperty({ example: '09:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'workingHours.periods.start 须为 HH:MM / must be HH:MM' })
  start: string;

  @ApiProperty({ example: '12:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'workingHours.periods.end 须为 HH:MM / must be HH:MM' })
  end: string;
}

export class WorkingHoursDto {
  @ApiProperty({ type: [WorkingPeriodDto] })
  @IsArray()
  @ArrayMinSize(1, { message: 'workingHours.periods 至少一段 / at least one period' })
  @ArrayMaxSize(4, { message: 'workingHours.periods 至多四段 / at most four periods' })
  @ValidateNested({ each: true })
  @Type(() => WorkingPeriodDto)
  periods: WorkingPeriodDto[];
}

export class InboxSettingsDto {
  @ApiPropertyOptional({ type: WorkingHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WorkingHoursDto)
  workingHours?: WorkingHoursDto;

  @ApiPropertyOptional({ example: 450, description: '首次响应时限（工作分钟）/ working minutes to the first answer' })
  @IsOptional()
  @IsInt({ message: 'firstResponseMinutes 须为整数 / must be an integer' })
  @Min(15, { message: 'firstResponseMinutes 至少 15 / at least 15' })
  @Max(45000, { message: 'firstResponseMinutes 至多 45000 / at most 45000' })
  firstResponseMinutes?: number;

  @ApiPropertyOptional({ example: 2250, description: '办结时限（工作分钟）/ working minutes to close' })
  @IsOptional()
  @IsInt({ message: 'resolutionMinutes 须为整数 / must be an integer' })
  @Min(15, { message: 'resolutionMinutes 至少 15 / at least 15' })
  @Max(450000, { message: 'resolutionMinutes 至多 450000 / at most 450000' })
  resolutionMinutes?: number;

  @ApiPropertyOptional({ example: 60 })
  @IsOptional()
  @IsInt({ message: 'remindBeforeMinutes 须为整数 / must be an integer' })
  @Min(0, { message: 'remindBeforeMinutes 不能为负 / must not be negative' })
  remindBeforeMinutes?: number;

  @ApiPropertyOptional({ example: false, description: '回复须经本单位审核 / replies need one review' })
  @IsOptional()
  @IsBoolean({ message: 'reviewReplies 须为布尔值 / must be a boolean' })
  reviewReplies?: boolean;

  @ApiPropertyOptional({ nullable: true, description: '指定负责人（否则编辑轮流）/ a named owner, else editors take turns' })
  @IsOptional()
  @IsUUID('all', { message: 'ownerUserId 须为 UUID / must be a UUID' })
  ownerUserId?: string | null;
}

// Response shapes for the OpenAPI document.

export class ThreadDto {
  @ApiProperty() id: string;
  @ApiProperty() accountId: string;
  @ApiPropertyOptional({ nullable: true, description: '账号名称 / the account’s name' }) accountName: string | null;
  @ApiProperty({ example: 'wechat' }) platform: string;
  @ApiProperty() unitId: string;
  @ApiProperty({ enum: THREAD_KINDS }) kind: ThreadKind;
  @ApiPropertyOptional({ nullable: true }) postRemoteId: string | null;
  @ApiPropertyOptional({ nullable: true }) rootCommentId: string | null;
  @ApiPropertyOptional({ nullable: true }) citizenId: string | null;
  @ApiProperty() citizenName: string;
  @ApiProperty({ enum: THREAD_STATES }) state: ThreadState;
  @ApiPropertyOptional({ nullable: true }) assigneeId: string | null;
  @ApiProperty() preview: string;
  @ApiProperty({ description: '涉敏/舆情 / matched the sensitive lexicon or a 舆情 keyword' }) sensitive: boolean;
  @ApiProperty() firstIncomingAt: Date;
  @ApiProperty() lastIncomingAt: Date;
  @ApiPropertyOptional({ nullable: true, description: '首次响应时限（工作时间）/ first-response deadline on working time' })
  firstResponseDueAt: Date | null;
  @ApiPropertyOptional({ nullable: true }) resolutionDueAt: Date | null;
  @ApiPropertyOptional({ nullable: true, description: '平台回复窗口截止（硬性）/ the platform’s hard reply window' })
  replyDeadlineAt: Date | null;
  @ApiPropertyOptional({ nullable: true }) firstRespondedAt: Date | null;
  @ApiPropertyOptional({ nullable: true }) firstResponseMinutes: number | null;
  @ApiPropertyOptional({ nullable: true }) respondedInTime: boolean | null;
  @ApiPropertyOptional({ nullable: true }) closedAt: Date | null;
}

export class ThreadPageDto {
  @ApiProperty({ type: [ThreadDto] }) items: ThreadDto[];
  @ApiProperty() total: number;
}

export class ReplyDto {
  @ApiProperty() id: string;
  @ApiProperty() threadId: string;
  @ApiProperty({ enum: REPLY_STATES }) state: string;
  @ApiProperty() text: string;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true }) remoteId: string | null;
  @ApiPropertyOptional({ nullable: true }) lastError: string | null;
  @ApiProperty({ description: '合规检查结果 / compliance findings' }) findings: object[];
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({ nullable: true }) sentAt: Date | null;
}

export class NoteDto {
  @ApiProperty() id: string;
  @ApiProperty() authorId: string;
  @ApiProperty() authorName: string;
  @ApiProperty() text: string;
  @ApiProperty() createdAt: Date;
}

export class ThreadPostDto {
  @ApiProperty() remoteId: string;
  @ApiPropertyOptional({ nullable: true, description: '经统发发布的稿件标题 / title when Tongfa published it' }) title: string | null;
  @ApiPropertyOptional({ nullable: true }) url: string | null;
  @ApiPropertyOptional({ nullable: true }) publicationId: string | null;
}

export class AssigneeDto {
  @ApiProperty() id: string;
  @ApiProperty() displayName: string;
}

export class ThreadDetailDto extends ThreadDto {
  @ApiPropertyOptional({ nullable: true, description: '承办人姓名 / the assignee’s name' }) assigneeName: string | null;
  @ApiPropertyOptional({ type: ThreadPostDto, nullable: true, description: '评论所属作品 / the post a comment belongs to' })
  post: ThreadPostDto | null;
  @ApiProperty({ description: '评论/私信（含本账号回复）/ comments and messages, ours included' }) items: object[];
  @ApiProperty({ type: [ReplyDto] }) replies: ReplyDto[];
  @ApiProperty({ type: [NoteDto] }) notes: NoteDto[];
  @ApiProperty({ type: [ModerationDto], description: '隐藏/删除评论的记录 / hide and delete requests' }) moderations: ModerationDto[];
}

export class MetricsDto {
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty() olderThanDays: number;
  @ApiProperty({ description: 'threads, answered, responseRate, medianFirstResponseMinutes, withinSlaRate, unansweredOlder' })
  total: object;
  @ApiProperty() accounts: object[];
  @ApiProperty() units: object[];
}
