import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { LexiconKind } from '@tongfa/compliance';
import { PageQueryDto } from '../common/dto';

export class ImportLexiconQueryDto {
  @ApiProperty({ enum: LexiconKind, example: LexiconKind.Forbidden })
  @IsEnum(LexiconKind)
  kind: LexiconKind;

  @ApiPropertyOptional({ enum: ['append', 'replace'], default: 'append', description: 'replace: the list becomes all entries of the kind' })
  @IsOptional()
  @IsIn(['append', 'replace'])
  mode?: 'append' | 'replace';

  @ApiPropertyOptional({ example: '2026 年第三季度更新' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class EntryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LexiconKind })
  @IsOptional()
  @IsEnum(LexiconKind)
  kind?: LexiconKind;

  @ApiPropertyOptional({ example: '最' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class SourceDto {
  @ApiProperty({ enum: ['original', 'reprint'], example: 'reprint' })
  @IsIn(['original', 'reprint'])
  type: 'original' | 'reprint';

  @ApiPropertyOptional({ example: '新华社' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  unitName?: string;

  @ApiPropertyOptional({ example: 'https://www.news.cn/politics/2026-11/20/c_1.htm' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string;
}

export class ImageDescriptorDto {
  @ApiPropertyOptional({ example: 'cover.jpg' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiProperty({ example: 1080 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  width: number;

  @ApiProperty({ example: 720 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  height: number;

  @ApiProperty({ example: 245000 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  bytes: number;

  @ApiProperty({ example: 'jpeg' })
  @IsString()
  @MaxLength(16)
  format: string;

  @ApiProperty({ example: false })
  @IsBoolean()
  hasExif: boolean;
}

export class CheckDto {
  @ApiPropertyOptional({ example: '我市召开安全生产工作会议' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  title?: string;

  @ApiPropertyOptional({ example: '会议部署了下一阶段重点工作。' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  summary?: string;

  @ApiPropertyOptional({ example: '<p>会议强调，要按部就班推进各项工作。</p>' })
  @IsOptional()
  @IsString()
  @MaxLength(2_000_000)
  bodyHtml?: string;

  @ApiPropertyOptional({ type: SourceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;

  @ApiPropertyOptional({ type: [ImageDescriptorDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ImageDescriptorDto)
  images?: ImageDescriptorDto[];

  @ApiPropertyOptional({ type: [String], description: 'ids of personal-data findings a reviewer marked as intended', example: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  acknowledged?: string[];
}
