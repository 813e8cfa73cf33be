import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class DutyLayerDto {
  @ApiProperty({ example: '工作日白班' })
  @IsString({ message: '层名称须为文字 / must be text' })
  @MinLength(1, { message: '层名称不能为空 / must not be empty' })
  @MaxLength(50, { message: '层名称最多 50 字 / at most 50 characters' })
  name: string;

  @ApiProperty({ type: [String], description: '轮值人员，按顺序 / the rotation in order' })
  @IsArray({ message: '值班人员须为数组 / must be an array' })
  @ArrayMinSize(1, { message: '值班人员至少一人 / at least one person' })
  @ArrayMaxSize(50, { message: '值班人员最多 50 人 / at most 50 people' })
  @IsUUID('all', { each: true, message: '值班人员须为用户 ID / must be user ids' })
  userIds: string[];

  @ApiProperty({ enum: ['daily', 'weekly'], example: 'daily' })
  @IsIn(['daily', 'weekly'], { message: '轮换周期须为 daily|weekly / must be daily or weekly' })
  rotation: 'daily' | 'weekly';

  @ApiProperty({ example: '09:00', description: '交接时间（北京时间 HH:MM）/ handoff, Beijing time' })
  @Matches(/^([01]\d|2[0-3]):([0-5]\d)$/, { message: '交接时间须为 HH:MM / must be HH:MM' })
  handoff: string;

  @ApiProperty({ example: '2026-12-07', description: '首班日期（北京时间）/ the first shift’s local date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '开始日期须为 YYYY-MM-DD / must be YYYY-MM-DD' })
  startDate: string;

  @ApiPropertyOptional({
    enum: ['all', 'workdays', 'restdays'],
    default: 'all',
    description: '全部日期 / 仅工作日（跳过法定节假日，含调休上班日）/ 仅休息日',
  })
  @IsOptional()
  @IsIn(['all', 'workdays', 'restdays'], { message: '适用日期须为 all|workdays|restdays / must be all, workdays or restdays' })
  days?: 'all' | 'workdays' | 'restdays';
}

export class EscalationTargetDto {
  @ApiProperty({ enum: ['on_call', 'parent_on_call', 'user'] })
  @IsIn(['on_call', 'parent_on_call', 'user'], {
    message: '通知对象须为 on_call|parent_on_call|user / must be on_call, parent_on_call or user',
  })
  kind: 'on_call' | 'parent_on_call' | 'user';

  @ApiPropertyOptional({ description: 'kind 为 user 时必填 / required when kind is user' })
  @ValidateIf((o: EscalationTargetDto) => o.kind === 'user')
  @IsUUID('all', { message: '通知人员须为用户 ID / must be a user id' })
  userId?: string;
}

export class EscalationStepDto {
  @ApiProperty({ example: 15, description: '距上一步（首步：距提醒）的分钟数 / minutes after the previous step' })
  @IsInt({ message: '等待分钟数须为整数 / must be an integer' })
  @Min(0, { message: '等待分钟数不能为负 / must not be negative' })
  @Max(7 * 24 * 60, { message: '等待分钟数最多 10080 / at most 10080' })
  afterMinutes: number;

  @ApiProperty({ type: EscalationTargetDto })
  @ValidateNested()
  @Type(() => EscalationTargetDto)
  notify: EscalationTargetDto;
}

export class EscalationPolicyDto {
  @ApiProperty({ type: [EscalationStepDto] })
  @IsArray({ message: '升级步骤须为数组 / must be an array' })
  @ArrayMinSize(1, { message: '升级步骤至少一步 / at least one step' })
  @ArrayMaxSize(10, { message: '升级步骤最多 10 步 / at most 10 steps' })
  @ValidateNested({ each: true })
  @Type(() => EscalationStepDto)
  steps: EscalationStepDto[];

  @ApiProperty({ example: 1, description: '全部步骤再重复的次数 / how many more passes' })
  @IsInt({ message: '重复次数须为整数 / must be an integer' })
  @Min(0, { message: '重复次数不能为负 / must not be negative' })
  @Max(5, { message: '重复次数最多 5 / at most 5' })
  repeat: number;
}

export class PutScheduleDto {
  @ApiProperty({ type: [DutyLayerDto], description: '后列的层优先 / later layers win over earlier ones' })
  @IsArray({ message: '值班层须为数组 / must be an array' })
  @ArrayMaxSize(10, { message: '值班层最多 10 层 / at most 10 layers' })
  @ValidateNested({ each: true })
  @Type(() => DutyLayerDto)
  layers: DutyLayerDto[];

  @ApiPropertyOptional({ type: EscalationPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EscalationPolicyDto)
  policy?: EscalationPolicyDto;
}

export class CreateOverrideDto {
  @ApiProperty()
  @IsUUID('all', { message: '替班人员须为用户 ID / must be a user id' })
  userId: string;

  @ApiProperty({ example: '2026-12-08T01:00:00.000Z' })
  @Type(() => Date)
  @IsDate({ message: '开始时间须为 ISO 8601 时间 / must be an ISO 8601 time' })
  startsAt: Date;

  @ApiProperty({ example: '2026-12-09T01:00:00.000Z' })
  @Type(() => Date)
  @IsDate({ message: '结束时间须为 ISO 8601 时间 / must be an ISO 8601 time' })
  endsAt: Date;

  @ApiPropertyOptional({ example: '换班' })
  @IsOptional()
  @IsString({ message: '备注须为文字 / must be text' })
  @MaxLength(200, { message: '备注最多 200 字 / at most 200 characters' })
  note?: string;
}

export class OnCallQueryDto {
  @ApiPropertyOptional({ description: '时刻（默认现在）/ the instant, now by default' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '时刻须为 ISO 8601 时间 / must be an ISO 8601 time' })
  at?: Date;
}

export class RangeQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '开始时间须为 ISO 8601 时间 / must be an ISO 8601 time' })
  from?: Date;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '结束时间须为 ISO 8601 时间 / must be an ISO 8601 time' })
  to?: Date;
}

export class LogQueryDto {
  @ApiProperty()
  @Type(() => Date)
  @IsDate({ message: '开始时间须为 ISO 8601 时间 / must be an ISO 8601 time' })
  from: Date;

  @ApiProperty()
  @Type(() => Date)
  @IsDate({ message: '结束时间须为 ISO 8601 时间 / must be an ISO 8601 time' })
  to: Date;

  @ApiPropertyOptional({ enum: ['json', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'xlsx'], { message: '格式须为 json|xlsx / must be json or xlsx' })
  format?: 'json' | 'xlsx';
}

/** `GET /duty/units`: every page resolves each unit's on-call person, so a page stays small. */
export class DutyUnitsQueryDto {
  @ApiPropertyOptional({ example: 1, minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '页码须为整数 / must be an integer' })
  @Min(1, { message: '页码最小为 1 / at least 1' })
  @Max(100000, { message: '页码过大 / too large' })
  page: number = 1;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 50, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '每页条数须为整数 / must be an integer' })
  @Min(1, { message: '每页条数最小为 1 / at least 1' })
  @Max(50, { message: '每页条数最多 50 / at most 50' })
  pageSize: number = 20;
}
