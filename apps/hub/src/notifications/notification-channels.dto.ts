import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { BotProvider, NotificationKind } from '@tongfa/notifications';

const SECRET = /^[A-Za-z0-9_\-+/=]{8,128}$/;

export class CreateChannelDto {
  @ApiProperty({ enum: BotProvider, example: BotProvider.WeCom, description: 'wecom: 政务微信群机器人; dingtalk: 钉钉自定义机器人' })
  @IsEnum(BotProvider)
  provider: BotProvider;

  @ApiProperty({ example: '一县新媒体值班群', description: '机器人名称（便于区分）' })
  @IsString()
  @Length(1, 64)
  name: string;

  @ApiProperty({ enum: NotificationKind, isArray: true, example: [NotificationKind.PublishFailed, NotificationKind.Alert] })
  @IsArray()
  @ArrayMaxSize(10)
  @IsEnum(NotificationKind, { each: true })
  kinds: NotificationKind[];

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ example: '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa', description: '政务微信 Webhook 地址中的 key（只写，不返回）' })
  @IsOptional()
  @Matches(SECRET, { message: 'Webhook 密钥格式不正确（8–128 位字母、数字或 -_+/=）/ The webhook key is malformed' })
  key?: string;

  @ApiPropertyOptional({
    example: 'f5c7d0e8a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c',
    description: '钉钉机器人 access_token（只写，不返回）',
  })
  @IsOptional()
  @Matches(SECRET, { message: 'access_token 格式不正确（8–128 位字母、数字或 -_+/=）/ The access_token is malformed' })
  accessToken?: string;

  @ApiPropertyOptional({ example: 'SEC0123456789abcdef', description: '钉钉“加签”密钥 SEC…（只写，不返回）' })
  @IsOptional()
  @Matches(/^SEC[A-Za-z0-9]{8,125}$/, { message: '加签密钥应以 SEC 开头 / The signing secret must start with SEC' })
  signSecret?: string;
}

export class UpdateChannelDto extends PartialType(OmitType(CreateChannelDto, ['provider'] as const)) {}

class DeliveryDto {
  @ApiProperty({ enum: ['pending', 'sent', 'failed'] })
  state: string;
  @ApiProperty({ example: 1 })
  attempts: number;
  @ApiPropertyOptional({ nullable: true, type: String, example: '310000: sign not match' })
  lastError: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  sentAt: Date | null;
  @ApiProperty()
  createdAt: Date;
  @ApiProperty({ example: '发布异常：关于防汛的通知' })
  title: string;
}

export class ChannelDto {
  @ApiProperty()
  id: string;
  @ApiProperty()
  unitId: string;
  @ApiProperty({ enum: BotProvider })
  provider: BotProvider;
  @ApiProperty()
  name: string;
  @ApiProperty({ type: [String] })
  kinds: string[];
  @ApiProperty()
  enabled: boolean;
  @ApiProperty({ description: '是否启用钉钉加签' })
  signed: boolean;
  @ApiProperty({ example: '••••5aaa', description: '密钥末四位，密钥本身从不返回' })
  secretHint: string;
  @ApiProperty()
  createdAt: Date;
  @ApiProperty()
  updatedAt: Date;
  @ApiPropertyOptional({ type: [DeliveryDto], description: '最近 5 次推送' })
  recent?: DeliveryDto[];
}
