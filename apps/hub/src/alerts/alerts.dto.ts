import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional } from 'class-validator';
import { DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { PageQueryDto } from '../common/dto';

export class AlertListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'acknowledged', 'resolved'], example: 'open', description: '未确认 / 已确认 / 已处置；不填为全部' })
  @IsOptional()
  @IsIn(['open', 'acknowledged', 'resolved'])
  status?: 'open' | 'acknowledged' | 'resolved';

  @ApiPropertyOptional({ enum: DutyAlertKind, example: DutyAlertKind.ReviewEscalated })
  @IsOptional()
  @IsEnum(DutyAlertKind)
  kind?: DutyAlertKind;
}

class TextDto {
  @ApiProperty({ example: '紧急稿件审核超时：关于某路段临时交通管制的通告' })
  zh: string;
  @ApiProperty({ example: 'Emergency review overdue: temporary traffic control notice' })
  en: string;
}

class AlertLinkDto {
  @ApiProperty({ example: 'manuscript', enum: ['manuscript', 'publication', 'account'] })
  type: string;
  @ApiProperty({ example: '01930f72-3c4d-7e5f-8a6b-7c8d9e0f1a2b' })
  id: string;
}

export class AlertDto {
  @ApiProperty({ example: '01930f73-4d5e-7f6a-9b7c-8d9e0f1a2b3c' })
  id: string;
  @ApiProperty({ enum: DutyAlertKind, example: DutyAlertKind.ReviewEscalated })
  kind: DutyAlertKind;
  @ApiProperty({ enum: DutyAlertSeverity, example: DutyAlertSeverity.Critical })
  severity: DutyAlertSeverity;
  @ApiProperty({ enum: ['open', 'acknowledged', 'resolved'], example: 'open' })
  status: string;
  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  unitId: string;
  @ApiProperty({ example: '/01930f6e-6a0b-7c3d-8e4f-5a6b7c8d9e0f/01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d/' })
  unitPath: string;
  @ApiProperty({ type: TextDto })
  title: TextDto;
  @ApiProperty({ type: TextDto })
  message: TextDto;
  @ApiProperty({ type: AlertLinkDto })
  link: AlertLinkDto;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' })
  createdAt: Date;
  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  acknowledgedAt: Date | null;
  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  acknowledgedBy: string | null;
  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  resolvedAt: Date | null;
  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  resolvedBy: string | null;
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto] })
  items: AlertDto[];
  @ApiProperty({ example: 3 })
  total: number;
}
