import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { NotificationKind } from '@tongfa/notifications';
import { PageQueryDto } from '../common/dto';

const bool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

export class NotificationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: true, description: '只看未读 / unread only' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  unread?: boolean;
}

class TextDto {
  @ApiProperty({ example: '待您审核：关于开展防汛演练的通知' })
  zh: string;
  @ApiProperty({ example: 'Waiting for your review: flood drill notice' })
  en: string;
}

class NotificationLinkDto {
  @ApiProperty({
    example: 'manuscript',
    enum: ['manuscript', 'publication', 'account', 'campaign', 'campaign_assignment', 'duty_alert', 'qa_entry'],
  })
  type: string;
  @ApiProperty({ example: '01930f72-3c4d-7e5f-8a6b-7c8d9e0f1a2b' })
  id: string;
}

export class NotificationDto {
  @ApiProperty({ example: '01930f73-4d5e-7f6a-9b7c-8d9e0f1a2b3c' })
  id: string;
  @ApiProperty({ enum: NotificationKind, example: NotificationKind.ReviewWaiting })
  kind: NotificationKind;
  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  unitId: string;
  @ApiProperty({ type: TextDto })
  title: TextDto;
  @ApiProperty({ type: TextDto })
  body: TextDto;
  @ApiProperty({ type: NotificationLinkDto })
  link: NotificationLinkDto;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' })
  createdAt: Date;
  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  readAt: Date | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] })
  items: NotificationDto[];
  @ApiProperty({ example: 3 })
  total: number;
}

export class UnreadCountDto {
  @ApiProperty({ example: 2 })
  unread: number;
}

export class ReadAllDto {
  @ApiProperty({ example: 5, description: '本次标记为已读的条数 / how many were marked read' })
  marked: number;
}
