import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { QaEntryStatus } from '@tongfa/knowledge';
import { PageQueryDto } from '../common/dto';

export class ChannelAnswersDto {
  @ApiPropertyOptional({ example: '社保卡丢失请先拨打12345挂失，再带身份证到合作银行补办。', description: '新媒体 (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  newMedia?: string | null;

  @ApiPropertyOptional({ description: '网站 (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  web?: string | null;

  @ApiPropertyOptional({ description: '热线 (plain text, read out on the phone)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  hotline?: string | null;
}

export class PolicyBasisDto {
  @ApiProperty({ example: '广东省社会保障卡管理办法' })
  @IsString()
  @Length(1, 300)
  title: string;

  @ApiPropertyOptional({ example: '粤人社规〔2024〕1号', description: '文号' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  docNumber?: string | null;

  @ApiPropertyOptional({ example: 'https://hrss.gd.gov.cn/zcfg/1.html' })
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'url 须为 http(s) 链接 / must be an http(s) URL' })
  @MaxLength(500)
  url?: string | null;
}

export class CreateQaEntryDto {
  @ApiProperty({ example: '社保卡丢了怎么补办？', description: 'the standard question (标准问题)' })
  @IsString()
  @Length(1, 300)
  question: string;

  @ApiPropertyOptional({ example: ['社保卡遗失如何补领', '社会保障卡挂失补卡'], description: '相似问题' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  similarQuestions?: string[];

  @ApiProperty({ example: '<p>携带身份证到社保经办机构或合作银行网点办理挂失补办。</p>', description: 'rich text, sanitized' })
  @IsString()
  @Length(1, 20000)
  answer: string;

  @ApiPropertyOptional({ type: ChannelAnswersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelAnswersDto)
  channelAnswers?: ChannelAnswersDto;

  @ApiPropertyOptional({ description: 'a category id (GET /qa/categories)', nullable: true })
  @IsOptional()
  @IsUUID()
  category?: string | null;

  @ApiPropertyOptional({ example: ['社保卡', '补办'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 20, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ type: [PolicyBasisDto], description: '政策依据' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PolicyBasisDto)
  policyBasis?: PolicyBasisDto[];

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00+08:00', nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  effectiveFrom?: Date | null;

  @ApiPropertyOptional({
    example: '2027-12-31T00:00:00+08:00',
    nullable: true,
    description: 'search stops offering the entry at this instant',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  effectiveUntil?: Date | null;

  @ApiPropertyOptional({
    description: 'a published entry of an ancestor unit this one replaces inside the owner unit’s subtree',
    nullable: true,
  })
  @IsOptional()
  @IsUUID()
  overridesEntryId?: string | null;

  @ApiPropertyOptional({ description: 'for editors and reviewers only; never returned to API-key clients', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  internalNote?: string | null;

  @ApiPropertyOptional({ description: 'the owner unit; default the editor’s unit' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ description: 'written from a gap: its normalizedText (GET /qa/gaps); those queries leave the gap list' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  fromGap?: string;
}

/** Any field of an entry; the rest is carried over from the current version. */
export class UpdateQaEntryDto extends PartialType(OmitType(CreateQaEntryDto, ['unitId', 'fromGap'] as const)) {}

const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class QaEntryListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: QaEntryStatus })
  @IsOptional()
  @IsIn(Object.values(QaEntryStatus))
  status?: QaEntryStatus;

  @ApiPropertyOptional({ description: 'category id' })
  @IsOptional()
  @IsUUID()
  category?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: 30, description: 'live entries whose validity ends within this many days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  expiringWithinDays?: number;

  @ApiPropertyOptional({ description: 'entries flagged because a cited policy document was repealed' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  needsReview?: boolean;

  @ApiPropertyOptional({ description: 'text in the standard question' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class QaReviewDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @ApiPropertyOptional({ example: '答案依据已核实' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class QaSearchQueryDto {
  @ApiProperty({ example: '社保卡掉了咋补', description: 'the question as the citizen typed it' })
  @IsString()
  @Length(1, 1000)
  q: string;

  @ApiPropertyOptional({ description: 'the unit asked for; default the key’s or the caller’s unit' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ enum: ['newMedia', 'web', 'hotline'] })
  @IsOptional()
  @IsIn(['newMedia', 'web', 'hotline'])
  channel?: 'newMedia' | 'web' | 'hotline';

  @ApiPropertyOptional({ example: 5, minimum: 1, maximum: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  limit?: number;

  @ApiPropertyOptional({
    description: 'an editor trying the library in the console: logged, but never counted as a gap (ignored for API keys)',
  })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  trial?: boolean;
}

export class QaFeedbackDto {
  @ApiProperty({ description: 'the queryId GET /qa/search returned' })
  @IsUUID()
  queryId: string;

  @ApiPropertyOptional({ description: 'the answer the feedback is about; default the first result' })
  @IsOptional()
  @IsUUID()
  entryId?: string;

  @ApiProperty()
  @IsBoolean()
  helpful: boolean;
}

export class QaGapQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only gaps routed to this unit' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
}

export class QaSimilarQuestionsQueryDto {
  @ApiProperty({ example: '社会保障卡怎么申领？', description: 'the entry’s standard question' })
  @IsString()
  @Length(1, 300)
  q: string;

  @ApiProperty({ description: 'the entry’s owner unit: citizens of its subtree are read' })
  @IsUUID()
  unitId: string;

  @ApiPropertyOptional({ description: 'the entry being edited: questions the search answered with it come first' })
  @IsOptional()
  @IsUUID()
  entryId?: string;

  @ApiPropertyOptional({ example: 10, minimum: 1, maximum: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(30)
  limit?: number;
}

export class SynonymGroupDto {
  @ApiProperty({ example: ['社会保险', '社保'], description: 'the first term is canonical' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 30, { each: true })
  terms: string[];
}

export class SetSynonymsDto {
  @ApiProperty({ type: [SynonymGroupDto] })
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => SynonymGroupDto)
  groups: SynonymGroupDto[];
}

export class CreateQaCategoryDto {
  @ApiProperty({ example: '社会保障' })
  @IsString()
  @Length(1, 60)
  name: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ example: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  sortOrder?: number;
}

export class QaImportQueryDto {
  @ApiPropertyOptional({ description: 'the owner unit of the imported entries; default the editor’s unit' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
}

export class PolicyDocumentQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  repealed?: boolean;
}
