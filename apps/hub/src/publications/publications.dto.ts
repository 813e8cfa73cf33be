import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '../common/dto';
import { PUBLICATION_STATUSES, TARGET_STATES } from '@tongfa/publishing';

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

/** `?status=failed,partial&platform=weibo&unitId=…&from=…&to=…&q=…` on GET /publications. */
export class PublicationFilterDto extends PublicationListQueryDto {
  @ApiPropertyOptional({ example: 'failed,partial', description: 'publication statuses, comma-separated (any of)' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsArray()
  @IsIn(PUBLICATION_STATUSES, { each: true })
  status?: (typeof PUBLICATION_STATUSES)[number][];

  @ApiPropertyOptional({ example: 'weibo', description: 'publications with a target on this platform (plugin id)' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/)
  platform?: string;

  @ApiPropertyOptional({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d', description: 'publications with a target on this account' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ enum: TARGET_STATES, description: 'publications with a target in this state (failed: something to retry)' })
  @IsOptional()
  @IsIn(TARGET_STATES)
  targetState?: (typeof TARGET_STATES)[number];

  @ApiPropertyOptional({ example: '01930f60-1a2b-7c3d-8e4f-5a6b7c8d9e0f', description: 'the unit’s subtree (within the caller’s)' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00', description: 'created at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00+08:00', description: 'created before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ example: '供暖', description: 'text in the manuscript’s title' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class RetryTargetDto {
  @ApiPropertyOptional({
    example: true,
    description:
      'required (true) to retry an `unconfirmed` target: the editor checked on the platform that the post is not there, so a retry cannot post it twice',
  })
  @IsOptional()
  @IsBoolean()
  confirmNotPublished?: boolean;
}

export class PlanDto {
  @ApiProperty({
    example: '2026-12-10T09:00:00+08:00',
    nullable: true,
    type: Date,
    description: 'when the manuscript is meant to go out; null clears the plan',
  })
  @ValidateIf((_, v) => v !== null)
  @Type(() => Date)
  @IsDate()
  plannedAt: Date | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d'],
    description: 'the accounts it is meant for (shown on the calendar)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  accountIds?: string[] | null;
}

export class RescheduleDto {
  @ApiProperty({ example: '2026-12-10T09:00:00+08:00' })
  @Type(() => Date)
  @IsDate()
  scheduledAt: Date;
}

export class CalendarQueryDto {
  @ApiProperty({ example: '2026-11-30T00:00:00+08:00' })
  @Type(() => Date)
  @IsDate()
  from: Date;

  @ApiProperty({ example: '2027-01-11T00:00:00+08:00', description: 'at most 62 days after from' })
  @Type(() => Date)
  @IsDate()
  to: Date;

  @ApiPropertyOptional({ example: '01930f60-1a2b-7c3d-8e4f-5a6b7c8d9e0f', description: 'the unit’s subtree' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d', description: 'one account’s items' })
  @IsOptional()
  @IsUUID()
  accountId?: string;
}
