import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { FINDING_RESULTS, RECTIFICATION_STATES, RectificationState } from '@tongfa/supervision';
import { PageQueryDto } from '../common/dto';

const LEVELS = ['province', 'city', 'county', 'township', 'department'];

export class CreateSpotCheckDto {
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f', description: '抽查范围：此单位及其下级 / the root unit of the round' })
  @IsUUID('all', { message: 'rootUnitId 抽查范围单位须为 UUID / must be a UUID' })
  rootUnitId: string;

  @ApiProperty({ example: '2026-Q4', description: '抽查周期：季度 2026-Q4 或月份 2026-11 / quarter or month' })
  @IsString({ message: 'period 抽查周期须为文字 / must be text' })
  @Matches(/^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/, { message: 'period 抽查周期格式须为 2026-Q4 或 2026-11 / must look like 2026-Q4 or 2026-11' })
  period: string;

  @ApiProperty({
    example: 0.3,
    description: '抽查比例（0–1），不低于辖区要求 / share drawn from every stratum, at least the jurisdiction’s minimum',
  })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'ratio 抽查比例须为 0 至 1 之间的小数 / must be a number in (0, 1]' })
  @Min(0, { message: 'ratio 抽查比例须为 0 至 1 之间的小数 / must be in (0, 1]' })
  @Max(1, { message: 'ratio 抽查比例不能超过 1 / must be at most 1' })
  ratio: number;

  @ApiPropertyOptional({
    example: 'a1b2c3d4',
    description: '随机种子；不填则随机生成并记录 / the seed; generated and recorded when absent',
  })
  @IsOptional()
  @IsString({ message: 'seed 随机种子须为文字 / must be text' })
  @MinLength(1, { message: 'seed 随机种子不能为空 / must not be empty' })
  @MaxLength(64, { message: 'seed 随机种子最多 64 个字符 / at most 64 characters' })
  seed?: string;
}

export class SpotCheckListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '只看此范围单位的轮次 / rounds of this root unit only' })
  @IsOptional()
  @IsUUID('all', { message: 'rootUnitId 单位须为 UUID / must be a UUID' })
  rootUnitId?: string;
}

export class PatchSpotCheckDto {
  @ApiProperty({ example: '一、各单位要对照问题逐项整改……', description: '通报“三、工作要求”正文 / the 通报’s requirements' })
  @IsString({ message: 'requirements 工作要求须为文字 / must be text' })
  @MinLength(1, { message: 'requirements 工作要求不能为空 / must not be empty' })
  @MaxLength(5000, { message: 'requirements 工作要求最多 5000 字 / at most 5000 characters' })
  requirements: string;
}

export class FindingDto {
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' })
  @IsUUID('all', { message: 'accountId 账号须为 UUID / must be a UUID' })
  accountId: string;

  @ApiProperty({ example: 'national.no-update', description: '检查项（见轮次的 checklist）/ a checklist item of the round' })
  @IsString({ message: 'item 检查项须为文字 / must be text' })
  @MaxLength(64, { message: 'item 检查项最多 64 个字符 / at most 64 characters' })
  item: string;

  @ApiProperty({ enum: ['pass', 'fail'], example: 'fail' })
  @IsIn(['pass', 'fail'], { message: 'result 检查结果须为 pass|fail / must be pass or fail' })
  result: 'pass' | 'fail';

  @ApiPropertyOptional({ example: '11 月 3 日起未更新', description: '说明 / note' })
  @IsOptional()
  @IsString({ message: 'note 说明须为文字 / must be text' })
  @MaxLength(1000, { message: 'note 说明最多 1000 字 / at most 1000 characters' })
  note?: string;

  @ApiPropertyOptional({
    example: { url: 'https://weibo.com/u/123', time: '2026-11-20T02:00:00.000Z' },
    description: '证据：链接、时间、平台数据 / evidence: URL, time, platform data',
  })
  @IsOptional()
  @IsObject({ message: 'evidence 证据须为对象 / must be an object' })
  evidence?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: '2026-12-14T10:00:00.000Z',
    description: '整改期限（不合格时；默认按检查项）/ rectification deadline for a failure',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'deadline 整改期限须为 ISO 8601 时间 / must be an ISO 8601 time' })
  deadline?: Date;
}

export class ReportQueryDto {
  @ApiProperty({ enum: ['xlsx', 'pdf'], example: 'xlsx' })
  @IsIn(['xlsx', 'pdf'], { message: 'format 通报格式须为 xlsx|pdf / must be xlsx or pdf' })
  format: 'xlsx' | 'pdf';
}

export class RectificationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RECTIFICATION_STATES })
  @IsOptional()
  @IsIn(RECTIFICATION_STATES, { message: `state 整改状态须为 ${RECTIFICATION_STATES.join('|')} / must be a state` })
  state?: RectificationState;

  @ApiPropertyOptional({ example: true, description: '只看逾期未整改的 / only orders open past their deadline' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsBoolean({ message: 'overdue 逾期须为 true|false / must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'roundId 抽查轮次须为 UUID / must be a UUID' })
  roundId?: string;
}

export class RespondDto {
  @ApiProperty({ example: '已恢复更新，11 月 25 日起每日发布', description: '整改情况 / what was done' })
  @IsString({ message: 'text 整改情况须为文字 / must be text' })
  @MinLength(1, { message: 'text 整改情况不能为空 / must not be empty' })
  @MaxLength(5000, { message: 'text 整改情况最多 5000 字 / at most 5000 characters' })
  text: string;

  @ApiPropertyOptional({ type: [String], example: ['https://weibo.com/123/abc'] })
  @IsOptional()
  @IsArray({ message: 'urls 佐证链接须为数组 / must be an array' })
  @ArrayMaxSize(20, { message: 'urls 佐证链接最多 20 个 / at most 20' })
  @IsString({ each: true, message: 'urls 佐证链接须为文字 / must be text' })
  @MaxLength(1000, { each: true, message: 'urls 佐证链接最长 1000 字符 / at most 1000 characters' })
  urls?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f'],
    description: '佐证素材（先上传到 /media）/ uploaded media',
  })
  @IsOptional()
  @IsArray({ message: 'mediaIds 佐证素材须为数组 / must be an array' })
  @ArrayMaxSize(20, { message: 'mediaIds 佐证素材最多 20 个 / at most 20' })
  @IsUUID('all', { each: true, message: 'mediaIds 佐证素材须为 UUID / must be UUIDs' })
  mediaIds?: string[];
}

export class ReviewDto {
  @ApiProperty({ enum: ['close', 'reopen', 'escalate'], example: 'close', description: '销号 / 退回重改 / 上报' })
  @IsIn(['close', 'reopen', 'escalate'], { message: 'decision 复核结论须为 close|reopen|escalate / must be close, reopen or escalate' })
  decision: 'close' | 'reopen' | 'escalate';

  @ApiPropertyOptional({ example: '已核实恢复更新' })
  @IsOptional()
  @IsString({ message: 'note 复核意见须为文字 / must be text' })
  @MaxLength(1000, { message: 'note 复核意见最多 1000 字 / at most 1000 characters' })
  note?: string;

  @ApiPropertyOptional({ example: '2026-12-20T10:00:00.000Z', description: '退回重改的新期限 / the new deadline when reopening' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'deadline 整改期限须为 ISO 8601 时间 / must be an ISO 8601 time' })
  deadline?: Date;
}

export class RankingQueryDto extends PageQueryDto {
  @ApiProperty({ enum: ['week', 'month'], example: 'week', description: '周榜（自然周）或月榜（自然月）/ ISO week or calendar month' })
  @IsIn(['week', 'month'], { message: 'period 排名周期须为 week|month / must be week or month' })
  period: 'week' | 'month';

  @ApiPropertyOptional({ example: '2026-11-30T08:00:00.000Z', description: '统计到此日（北京时间）；默认现在 / up to this day' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'at 统计日期须为 ISO 8601 时间 / must be an ISO 8601 time' })
  at?: Date;

  @ApiPropertyOptional({ enum: LEVELS })
  @IsOptional()
  @IsIn(LEVELS, { message: `level 单位层级须为 ${LEVELS.join('|')} / must be a unit level` })
  level?: string;

  @ApiPropertyOptional({ description: '只看此单位及其下级 / this unit’s subtree only' })
  @IsOptional()
  @IsUUID('all', { message: 'unitId 单位须为 UUID / must be a UUID' })
  unitId?: string;
}

export class StratumDto {
  @ApiProperty({ example: 'weibo|county' }) key: string;
  @ApiProperty({ example: 'weibo' }) platform: string;
  @ApiProperty({ example: 'county' }) level: string;
  @ApiProperty({ example: 10 }) size: number;
  @ApiProperty({ example: 3 }) drawn: number;
}

export class SpotCheckDto {
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) id: string;
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) rootUnitId: string;
  @ApiProperty({ example: '甲市政府办公室' }) rootUnitName: string;
  @ApiProperty({ example: '2026-Q4' }) period: string;
  @ApiProperty({ example: 0.3 }) ratio: number;
  @ApiProperty({ example: 0.3 }) minRatio: number;
  @ApiProperty({ example: 'national' }) ruleSet: string;
  @ApiProperty({ example: '2026.1' }) ruleSetVersion: string;
  @ApiProperty({ example: 'a1b2c3d4' }) seed: string;
  @ApiProperty({ example: 'strata-mulberry32/1' }) algorithm: string;
  @ApiProperty({ example: 120 }) population: number;
  @ApiProperty({ example: 38 }) sampled: number;
  @ApiProperty({ type: [StratumDto] }) strata: StratumDto[];
  @ApiProperty({ example: '一、各单位要……' }) requirements: string;
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) createdBy: string;
  @ApiProperty({ example: '2026-12-07T02:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-12-07T02:00:00.000Z' }) updatedAt: Date;
}

export class SpotCheckPageDto {
  @ApiProperty({ type: [SpotCheckDto] }) items: SpotCheckDto[];
  @ApiProperty({ example: 1 }) total: number;
}

export class FindingViewDto {
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) id: string;
  @ApiProperty({ example: 'national.no-update' }) item: string;
  @ApiProperty({ example: { zh: '超过两周未更新', en: 'No update for two weeks' } }) itemTitle: { zh: string; en: string };
  @ApiProperty({ enum: FINDING_RESULTS, example: 'fail' }) result: string;
  @ApiProperty({ enum: ['monitoring', 'checker'], example: 'checker' }) source: string;
  @ApiProperty({ example: '11 月 3 日起未更新' }) note: string;
  @ApiProperty({ example: { url: 'https://weibo.com/u/1', time: '2026-11-20T02:00:00.000Z' } }) evidence: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, example: null }) decidedBy: string | null;
  @ApiProperty({ example: '2026-12-07T02:00:00.000Z' }) decidedAt: Date;
}

export class RectificationDto {
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) id: string;
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) roundId: string;
  @ApiProperty({ example: '2026-Q4', nullable: true, type: String }) period: string | null;
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) findingId: string;
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) accountId: string;
  @ApiProperty({ example: '甲市一县发布', nullable: true, type: String }) accountName: string | null;
  @ApiProperty({ example: 'weibo', nullable: true, type: String }) platform: string | null;
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) unitId: string;
  @ApiProperty({ example: '甲市一县政府办公室', nullable: true, type: String }) unitName: string | null;
  @ApiProperty({ example: 'national.no-update' }) item: string;
  @ApiProperty({ example: '甲市一县发布（weibo）：超过两周未更新' }) problem: string;
  @ApiProperty({ enum: RECTIFICATION_STATES, example: 'open' }) state: string;
  @ApiProperty({ example: '2026-12-14T02:00:00.000Z' }) deadline: Date;
  @ApiProperty({ example: false, description: '逾期未整改 / open past the deadline' }) overdue: boolean;
  @ApiProperty({ example: 0 }) daysLate: number;
  @ApiProperty({ example: false }) answeredLate: boolean;
  @ApiProperty({
    nullable: true,
    example: { text: '已恢复更新', urls: [], mediaIds: [], respondedAt: '2026-12-10T02:00:00.000Z', respondedBy: null },
  })
  response: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Date, example: null }) reviewedAt: Date | null;
  @ApiProperty({ nullable: true, type: String, example: null }) reviewedBy: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) reviewNote: string | null;
  @ApiProperty({ example: 0 }) reopened: number;
  @ApiProperty({ example: '2026-12-07T02:00:00.000Z' }) createdAt: Date;
}

export class RectificationPageDto {
  @ApiProperty({ type: [RectificationDto] }) items: RectificationDto[];
  @ApiProperty({ example: 1 }) total: number;
}

export class RankingRowDto {
  @ApiProperty({ example: 'county' }) level: string;
  @ApiProperty({ example: 1 }) rank: number;
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) accountId: string;
  @ApiProperty({ example: '甲市一县发布' }) accountName: string;
  @ApiProperty({ example: 'weibo' }) platform: string;
  @ApiProperty({ example: '0190f1a2-7c1e-7b7e-9d1a-2f3b4c5d6e7f' }) unitId: string;
  @ApiProperty({ example: '甲市一县政府办公室' }) unitName: string;
  @ApiProperty({ example: 86.4 }) score: number;
  @ApiProperty({ example: { activity: 0.857, volume: 1, timeliness: 0.929, interaction: null, penalty: 0 } }) parts: Record<
    string,
    unknown
  >;
  @ApiProperty({ example: { days: 7, activeDays: 6, posts: 9, longestSilence: 1, reads: null, engagements: null, vetoBreaches: [] } })
  inputs: Record<string, unknown>;
}

export class RankingDto {
  @ApiProperty({ example: 'tongfa-rank/2026.1' }) formulaVersion: string;
  @ApiProperty({ enum: ['week', 'month'], example: 'week' }) period: string;
  @ApiProperty({ example: '2026-11-30' }) from: string;
  @ApiProperty({ example: '2026-12-06' }) to: string;
  @ApiProperty({ type: [RankingRowDto] }) items: RankingRowDto[];
  @ApiProperty({ example: 120 }) total: number;
}
