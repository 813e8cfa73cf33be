import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ManuscriptCategory, ManuscriptStatus, ReviewCategory } from '@tongfa/manuscripts';
import { PageQueryDto } from '../common/dto';

export class SourceDto {
  @ApiProperty({ enum: ['original', 'reprint'], example: 'original' })
  @IsIn(['original', 'reprint'])
  type: 'original' | 'reprint';

  @ApiPropertyOptional({ example: '新华社', description: 'reprints: the designated source unit (稿源单位)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  unitName?: string;

  @ApiPropertyOptional({ example: 'https://www.gov.cn/zhengce/2026-11/20/content_0000000.htm' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(1000)
  url?: string;
}

export class CreateManuscriptDto {
  @ApiProperty({ example: '东区推出十项便民服务举措' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ example: '即日起，东区政务服务中心推出延时办、预约办等十项举措。' })
  @IsString()
  @MaxLength(1000)
  summary: string;

  @ApiProperty({ example: '<p>即日起，东区政务服务中心……</p>', description: 'rich HTML; sanitized on the way in' })
  @IsString()
  @MaxLength(500_000)
  body: string;

  @ApiProperty({ enum: ManuscriptCategory, example: ManuscriptCategory.News })
  @IsEnum(ManuscriptCategory)
  category: ManuscriptCategory;

  @ApiProperty({ type: SourceDto })
  @ValidateNested()
  @Type(() => SourceDto)
  source: SourceDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  coverMediaId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  mediaIds?: string[];

  @ApiPropertyOptional({
    description:
      '各平台适配 per platform (plugin id): `{ title?, summary?, text?, caption?, topics?, coverMediaId?, coverCrop?: {x, y} }`. `title` / `summary`: this platform’s own headline or summary (Toutiao, 南方号, the unit’s app) instead of the article’s, checked against its title/summary limit and refused where the platform has none; `text`: a short post’s whole text (Weibo), checked against the manifest’s body limit and counter; `caption`: a video/image-text post’s caption (Douyin), checked against its title limit; `topics`: words shown as #topics#; `coverMediaId`: another of the unit’s images as this platform’s cover; `coverCrop`: the crop centre as fractions. Unknown platforms and over-long texts are refused (400 ADAPTATION_INVALID naming the field in Chinese). PATCH replaces all adaptations; `null` removes them.',
    example: {
      weibo: { text: '东区政务服务中心即日起推出延时办、预约办等十项举措。' },
      douyin: { caption: '东区十项便民举措', topics: ['便民服务'] },
    },
  })
  @IsOptional()
  @IsObject()
  adaptations?: Record<string, unknown> | null;

  @ApiPropertyOptional({ description: 'the unit to write for, when the editor works for several' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
}

export class UpdateManuscriptDto {
  @ApiPropertyOptional({ example: '东区推出十项便民服务举措' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  summary?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500_000)
  body?: string;

  @ApiPropertyOptional({ enum: ManuscriptCategory })
  @IsOptional()
  @IsEnum(ManuscriptCategory)
  category?: ManuscriptCategory;

  @ApiPropertyOptional({ type: SourceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  coverMediaId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  mediaIds?: string[];

  @ApiPropertyOptional({
    description:
      '各平台适配 per platform (plugin id): `{ title?, summary?, text?, caption?, topics?, coverMediaId?, coverCrop?: {x, y} }`. `title` / `summary`: this platform’s own headline or summary (Toutiao, 南方号, the unit’s app) instead of the article’s, checked against its title/summary limit and refused where the platform has none; `text`: a short post’s whole text (Weibo), checked against the manifest’s body limit and counter; `caption`: a video/image-text post’s caption (Douyin), checked against its title limit; `topics`: words shown as #topics#; `coverMediaId`: another of the unit’s images as this platform’s cover; `coverCrop`: the crop centre as fractions. Unknown platforms and over-long texts are refused (400 ADAPTATION_INVALID naming the field in Chinese). PATCH replaces all adaptations; `null` removes them.',
    example: {
      weibo: { text: '东区政务服务中心即日起推出延时办、预约办等十项举措。' },
      douyin: { caption: '东区十项便民举措', topics: ['便民服务'] },
    },
  })
  @IsOptional()
  @IsObject()
  adaptations?: Record<string, unknown> | null;
}

export class ReviewDto {
  @ApiProperty({ enum: ['approve', 'reject'], example: 'approve' })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @ApiPropertyOptional({ example: '同意，请核对第二段数据来源' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({ description: 'the version reviewed; refused if the manuscript changed since' })
  @IsOptional()
  @IsUUID()
  versionId?: string;

  @ApiPropertyOptional({ type: [String], description: 'ids of compliance warnings the reviewer acknowledges' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  acknowledged?: string[];
}

export class ManuscriptListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ManuscriptStatus })
  @IsOptional()
  @IsEnum(ManuscriptStatus)
  status?: ManuscriptStatus;

  @ApiPropertyOptional({ enum: ManuscriptCategory })
  @IsOptional()
  @IsEnum(ManuscriptCategory)
  category?: ManuscriptCategory;

  @ApiPropertyOptional({ description: 'only my manuscripts' })
  @IsOptional()
  @Type(() => Boolean)
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ description: 'title contains' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  q?: string;
}

export class ChainStepDto {
  @ApiProperty({ example: 1, minimum: 1, maximum: 3 })
  @IsInt()
  @Min(1)
  @Max(3)
  level: number;

  @ApiPropertyOptional({ example: '初审' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  name: string;

  @ApiPropertyOptional({ example: 30, description: 'emergency: minutes before the step escalates' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  limitMinutes?: number;
}

export class ChainDto {
  @ApiProperty({ enum: Object.values(ReviewCategory) })
  @IsEnum(ReviewCategory)
  category: ReviewCategory;

  @ApiProperty({ type: [ChainStepDto] })
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => ChainStepDto)
  steps: ChainStepDto[];

  @ApiPropertyOptional({ description: 'steps may be approved in any order (emergencies)' })
  @IsOptional()
  @IsBoolean()
  parallel?: boolean;
}

export class SetChainsDto {
  @ApiProperty({ type: [ChainDto] })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ChainDto)
  chains: ChainDto[];
}

export class ChainMinimumDto {
  @ApiProperty({ enum: Object.values(ReviewCategory), example: ManuscriptCategory.Policy })
  @IsEnum(ReviewCategory)
  category: ReviewCategory;

  @ApiProperty({ example: 3, minimum: 1, maximum: 3, description: 'no unit’s chain of the category may have fewer steps' })
  @IsInt()
  @Min(1)
  @Max(3)
  minSteps: number;
}

export class SetChainMinimumsDto {
  @ApiProperty({ type: [ChainMinimumDto] })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ChainMinimumDto)
  minimums: ChainMinimumDto[];
}
