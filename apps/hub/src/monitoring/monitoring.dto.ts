import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { knownRuleIds, POST_SOURCES, PostSource, RULE_SETS, RULE_STATES, RuleStateValue } from '@tongfa/monitoring';
import { PageQueryDto } from '../common/dto';

const RULE_IDS = knownRuleIds(RULE_SETS);

export class MonitoringListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '只看此单位及其下级 / only this unit and its subtree' })
  @IsOptional()
  @IsUUID('all', { message: 'unitId 单位须为 UUID / must be a UUID' })
  unitId?: string;

  @ApiPropertyOptional({ example: 'weibo' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'platform 平台标识无效 / invalid platform id' })
  platform?: string;

  @ApiPropertyOptional({ enum: RULE_IDS, description: '按规则筛选（可与 state 合用）/ by rule, with state if given' })
  @IsOptional()
  @IsIn(RULE_IDS, { message: `rule 规则须为 ${RULE_IDS.join('|')} / must be a rule id` })
  rule?: string;

  @ApiPropertyOptional({ enum: RULE_STATES, description: '无 rule 时为账号的最差状态 / without rule: the account’s worst state' })
  @IsOptional()
  @IsIn(RULE_STATES, { message: `state 状态须为 ${RULE_STATES.join('|')} / must be a rule state` })
  state?: RuleStateValue;
}

export class MessageDto {
  @ApiProperty() zh: string;
  @ApiProperty() en: string;
}

export class RuleStateDto {
  @ApiProperty({ example: 'national.no-update' }) ruleId: string;
  @ApiProperty({ enum: RULE_STATES }) state: RuleStateValue;
  @ApiProperty({ nullable: true, type: Number, description: '预警所处天数 / the warning step (day of silence)' }) step: number | null;
  @ApiProperty() since: Date;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '判定依据 / the facts that decided it' })
  evidence: Record<string, unknown>;
  @ApiProperty({ example: 'national' }) ruleSet: string;
  @ApiProperty({ example: '2026.1' }) ruleSetVersion: string;
  @ApiProperty() evaluatedAt: Date;
}

export class MonitoredAccountDto {
  @ApiProperty() accountId: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() unitId: string;
  @ApiProperty() unitPath: string;
  @ApiProperty({ example: 'weibo' }) platform: string;
  @ApiProperty({ nullable: true, type: Date }) lastPostAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) lastPostUrl: string | null;
  @ApiProperty({ nullable: true, enum: POST_SOURCES }) lastPostSource: PostSource | null;
  @ApiProperty({ description: '未更新天数（北京时间自然日）/ calendar days without a post' }) silentDays: number;
  @ApiProperty() postsLast7Days: number;
  @ApiProperty({ enum: RULE_STATES }) worstState: RuleStateValue;
  @ApiProperty({ nullable: true, type: Date }) rolledUpAt: Date | null;
  @ApiProperty({ type: [RuleStateDto] }) rules: RuleStateDto[];
}

export class WeekPostsDto {
  @ApiProperty({ example: '2026-12-07', description: '该周周一（北京时间）/ the week’s Monday, Beijing calendar' }) week: string;
  @ApiProperty({ description: '经统发发布 / through Tongfa' }) tongfa: number;
  @ApiProperty({ description: '在平台直接发布 / made natively on the platform' }) native: number;
}

export class MetricsDto {
  @ApiProperty({ example: '2026-12-06' }) day: string;
  @ApiProperty({ nullable: true, type: Number }) followers: number | null;
  @ApiProperty({ nullable: true, type: Number }) reads: number | null;
  @ApiProperty({ nullable: true, type: Number }) likes: number | null;
  @ApiProperty({ nullable: true, type: Number }) comments: number | null;
}

export class MonitoredAccountDetailDto extends MonitoredAccountDto {
  @ApiProperty({ type: [WeekPostsDto], description: '近 12 周，旧在前 / the last 12 weeks, oldest first' }) weeks: WeekPostsDto[];
  @ApiProperty({ type: MetricsDto, nullable: true, description: '平台提供指标的最近一天 / the latest day with metrics' })
  metrics: MetricsDto | null;
}

export class MonitoredAccountPageDto {
  @ApiProperty({ type: [MonitoredAccountDto] }) items: MonitoredAccountDto[];
  @ApiProperty() total: number;
}

export class RuleDto {
  @ApiProperty({ example: 'national.no-update' }) id: string;
  @ApiProperty({ enum: ['veto', 'province', 'hygiene'] }) kind: string;
  @ApiProperty({ type: MessageDto }) title: MessageDto;
  @ApiProperty({ type: MessageDto }) description: MessageDto;
}

export class RuleSetDto {
  @ApiProperty({ example: 'national' }) id: string;
  @ApiProperty({ example: '2026.1' }) version: string;
  @ApiProperty({ type: MessageDto }) jurisdiction: MessageDto;
  @ApiProperty({ description: '适用的行政区划代码前缀（空为全国）/ region code prefix ("" = nationwide)' }) regionPrefix: string;
  @ApiProperty({ type: MessageDto }) basis: MessageDto;
  @ApiProperty({ type: [RuleDto] }) rules: RuleDto[];
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: '抽查要求：最低比例与周期（quarter|month）/ spot-check duty: least ratio and cadence',
  })
  spotCheck: { minRatio: number; cadence: 'quarter' | 'month' } | null;
}
