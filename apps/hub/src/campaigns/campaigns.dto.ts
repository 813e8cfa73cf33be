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
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ASSIGNMENT_STATES, AssignmentState } from '@tongfa/campaigns';
import { UnitLevel } from '@tongfa/identity';
import { PageQueryDto } from '../common/dto';

const TARGET_LEVELS = [UnitLevel.City, UnitLevel.County, UnitLevel.Township, UnitLevel.Department];

export class CampaignSourceDto {
  @ApiPropertyOptional({ description: '本单位已审核通过的稿件 / an approved manuscript of the issuing unit' })
  @IsOptional()
  @IsUUID('all', { message: 'source.manuscriptId 须为 UUID / must be a UUID' })
  manuscriptId?: string;

  @ApiPropertyOptional({ description: '本单位的发布（可链接原文）/ a publication of the issuing unit, so the originals can be linked' })
  @IsOptional()
  @IsUUID('all', { message: 'source.publicationId 须为 UUID / must be a UUID' })
  publicationId?: string;
}

export class CampaignTargetsDto {
  @ApiPropertyOptional({ type: [String], description: '指定下级单位 / explicit units of the subtree' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20000)
  @IsUUID('all', { each: true, message: 'targets.unitIds 须为 UUID 列表 / must be UUIDs' })
  unitIds?: string[];

  @ApiPropertyOptional({ description: '按层级选取此单位下的所有单位 / every unit under this root of the given levels' })
  @IsOptional()
  @IsUUID('all', { message: 'targets.rootUnitId 须为 UUID / must be a UUID' })
  rootUnitId?: string;

  @ApiPropertyOptional({ enum: TARGET_LEVELS, isArray: true, example: ['county', 'department'] })
  @IsOptional()
  @IsArray()
  @IsIn(TARGET_LEVELS, { each: true, message: `targets.levels 须为 ${TARGET_LEVELS.join('|')} / must be levels` })
  levels?: UnitLevel[];
}

export class CreateCampaignDto {
  @ApiProperty({ example: '转发：全市优化营商环境十条措施' })
  @IsString()
  @Length(1, 200, { message: 'title 标题须为 1–200 字 / 1 to 200 characters' })
  title: string;

  @ApiPropertyOptional({ example: '请各县区于今日 18 时前在政务微博、微信公众号转载。' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'instructions 说明最多 2000 字 / at most 2000 characters' })
  instructions?: string;

  @ApiProperty({ type: CampaignSourceDto })
  @ValidateNested()
  @Type(() => CampaignSourceDto)
  source: CampaignSourceDto;

  @ApiProperty({ type: CampaignTargetsDto })
  @ValidateNested()
  @Type(() => CampaignTargetsDto)
  targets: CampaignTargetsDto;

  @ApiProperty({ type: [String], example: ['weibo', 'wechat'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'platforms 至少选择一个平台 / at least one platform' })
  @ArrayMaxSize(20)
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { each: true, message: 'platforms 须为平台标识 / must be plugin ids' })
  platforms: string[];

  @ApiProperty({ example: '2026-12-07T10:00:00.000Z', description: '截止时间 ISO 8601' })
  @Type(() => Date)
  @IsDate({ message: 'deadline 截止时间须为 ISO 8601 时间 / must be an ISO 8601 time' })
  deadline: Date;

  @ApiPropertyOptional({ type: [Number], example: [120, 30], description: '截止前多少分钟提醒 / minutes before the deadline' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5, { message: 'reminders 最多 5 个 / at most 5' })
  @IsInt({ each: true, message: 'reminders 须为整数分钟 / whole minutes' })
  reminders?: number[];

  @ApiPropertyOptional({ example: false, description: '允许改写正文 / units may adapt the body' })
  @IsOptional()
  @IsBoolean({ message: 'allowAdaptation 须为布尔值 / must be a boolean' })
  allowAdaptation?: boolean;
}

export class CampaignListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';
}

export class AssignmentListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ASSIGNMENT_STATES })
  @IsOptional()
  @IsIn(ASSIGNMENT_STATES)
  state?: AssignmentState;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: 'weibo' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/)
  platform?: string;
}

export class MyAssignmentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ASSIGNMENT_STATES })
  @IsOptional()
  @IsIn(ASSIGNMENT_STATES)
  state?: AssignmentState;

  @ApiPropertyOptional({
    enum: ['requested'],
    description: '待本人（发起单位主管）审批的豁免申请，而非本单位的任务 / exemption requests waiting for the caller’s decision as issuer',
  })
  @IsOptional()
  @IsIn(['requested'], { message: '豁免筛选只能为 requested / exemption must be requested' })
  exemption?: 'requested';
}

export class DashboardQueryDto {
  @ApiPropertyOptional({ description: '展开此单位的直属下级（默认发起单位）/ direct children of this unit (default the issuer)' })
  @IsOptional()
  @IsUUID()
  parentUnitId?: string;
}

export class RetractRelaysDto {
  @ApiPropertyOptional({ example: '原稿已撤回，请同步撤回转载' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class EvidenceDto {
  @ApiProperty({ example: 'https://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1&sn=abc' })
  @IsString()
  @Length(1, 2048, { message: 'url 须为转载后的完整链接 / the full address of the post' })
  url: string;
}

export class ExemptionDto {
  @ApiProperty({ example: '本单位微博账号正在注销流程中' })
  @IsString()
  @Length(2, 500, { message: 'reason 豁免理由须为 2–500 字 / 2 to 500 characters' })
  reason: string;
}

export class ExemptionDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: 'decision 须为 approve 或 reject / approve or reject' })
  decision: 'approve' | 'reject';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  comment?: string;
}

class CountsDto {
  @ApiProperty() total: number;
  @ApiProperty() pending: number;
  @ApiProperty() accepted: number;
  @ApiProperty() done: number;
  @ApiProperty() done_late: number;
  @ApiProperty() overdue: number;
  @ApiProperty() exempted: number;
  @ApiProperty() not_applicable: number;
}

class CampaignSourceViewDto {
  @ApiProperty() manuscriptId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) publicationId: string | null;
  @ApiProperty() title: string;
  @ApiPropertyOptional({ nullable: true, type: String }) url: string | null;
}

export class CampaignDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() instructions: string;
  @ApiProperty() issuerUnitId: string;
  @ApiProperty() issuerUnitName: string;
  @ApiProperty({ type: CampaignSourceViewDto }) source: CampaignSourceViewDto;
  @ApiProperty({ type: [String] }) platforms: string[];
  @ApiProperty() deadline: Date;
  @ApiProperty({ type: [Number] }) reminders: number[];
  @ApiProperty() allowAdaptation: boolean;
  @ApiProperty({ enum: ['open', 'closed'] }) status: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: CountsDto }) counts: CountsDto;
}

class RelayDto {
  @ApiProperty() assignmentId: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty() platform: string;
  @ApiPropertyOptional({ nullable: true, type: String }) publicationId: string | null;
  @ApiProperty({ description: '发布目标状态；native 为单位自行发布（请联系该单位）/ target state, or native: ask the unit' }) state: string;
  @ApiProperty() retractable: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) url: string | null;
}

export class CampaignDetailDto extends CampaignDto {
  @ApiProperty({ type: [RelayDto] }) relays: RelayDto[];
  @ApiProperty({ description: '来源发布已撤回 / the source publication was retracted' }) sourceRetracted: boolean;
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignDto] }) items: CampaignDto[];
  @ApiProperty() total: number;
}

class AssignmentCampaignDto {
  @ApiProperty() title: string;
  @ApiProperty() deadline: Date;
  @ApiProperty() instructions: string;
  @ApiProperty() issuerUnitName: string;
  @ApiProperty() allowAdaptation: boolean;
}

class ExemptionViewDto {
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['requested', 'approved', 'rejected'] }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String }) comment: string | null;
}

export class AssignmentDto {
  @ApiProperty() id: string;
  @ApiProperty() campaignId: string;
  @ApiProperty({ type: AssignmentCampaignDto }) campaign: AssignmentCampaignDto;
  @ApiProperty() unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty() platform: string;
  @ApiPropertyOptional({ nullable: true, type: String }) accountId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) accountName: string | null;
  @ApiProperty({ enum: ASSIGNMENT_STATES }) state: string;
  @ApiPropertyOptional({ nullable: true, type: String }) acceptedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String }) completedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, enum: ['tongfa', 'detected', 'evidence'] }) completion: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) url: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) minutesLate: number | null;
  @ApiProperty() reminders: number;
  @ApiPropertyOptional({ nullable: true, type: String }) manuscriptId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) publicationId: string | null;
  @ApiPropertyOptional({ nullable: true, type: ExemptionViewDto }) exemption: ExemptionViewDto | null;
}

export class AssignmentPageDto {
  @ApiProperty({ type: [AssignmentDto] }) items: AssignmentDto[];
  @ApiProperty() total: number;
}

export class AcceptedDto {
  @ApiProperty() manuscriptId: string;
  @ApiProperty({ description: '按免审规则直接发布 / published under a trust rule without the unit’s review' }) trusted: boolean;
}

class DashboardUnitDto {
  @ApiProperty() unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty() level: string;
  @ApiProperty() hasChildren: boolean;
  @ApiProperty({ type: CountsDto }) counts: CountsDto;
}

class DashboardPlatformDto {
  @ApiProperty() platform: string;
  @ApiProperty({ type: CountsDto }) counts: CountsDto;
}

class TimelinePointDto {
  @ApiProperty() at: string;
  @ApiProperty() done: number;
}

class OverdueDto {
  @ApiProperty() assignmentId: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty() platform: string;
  @ApiPropertyOptional({ nullable: true, type: String }) accountName: string | null;
  @ApiProperty() minutesLate: number;
  @ApiProperty() reminders: number;
}

export class DashboardDto {
  @ApiProperty({ type: CountsDto }) counts: CountsDto;
  @ApiProperty({ type: [DashboardUnitDto] }) units: DashboardUnitDto[];
  @ApiProperty({ type: [DashboardPlatformDto] }) platforms: DashboardPlatformDto[];
  @ApiProperty({ type: [TimelinePointDto] }) timeline: TimelinePointDto[];
  @ApiProperty({ type: [OverdueDto] }) overdue: OverdueDto[];
}

class TrustDto {
  @ApiProperty() issuerUnitId: string;
  @ApiProperty() issuerUnitName: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty() createdBy: string;
}

export class TrustListDto {
  @ApiProperty({ type: [TrustDto] }) items: TrustDto[];
}
