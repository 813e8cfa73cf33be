import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../common/dto';

export class CreatePublicationDto {
  @ApiProperty({ type: [String], example: ['01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  accountIds: string[];

  @ApiPropertyOptional({ example: '2026-11-24T09:00:00+08:00', description: 'publish at this time instead of now' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  scheduledAt?: Date;
}

export class RetractDto {
  @ApiProperty({ example: '数据有误，更正后重新发布' })
  @IsString()
  @Length(2, 500)
  reason: string;
}

export class CorrectionDto {
  @ApiProperty({
    example: '第二段数据有误（“十项”应为“十二项”），已重新审核',
    description: 'why the posts are corrected (recorded in the audit)',
  })
  @IsString()
  @Length(2, 500)
  reason: string;
}

export class RenditionQueryDto {
  @ApiPropertyOptional({ description: 'comma-separated account ids (default: every account of the unit)' })
  @IsOptional()
  @IsString()
  @Length(36, 36 * 50 + 49)
  accountIds?: string;
}

export class PublicationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  manuscriptId?: string;
}
