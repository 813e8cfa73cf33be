import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/** Settings are a flat map of at most 30 short scalar values. */
@ValidatorConstraint({ name: 'flatSettings' })
class FlatSettings implements ValidatorConstraintInterface {
  validate(v: unknown): boolean {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
    const entries = Object.entries(v as Record<string, unknown>);
    return (
      entries.length <= 30 &&
      entries.every(
        ([k, x]) =>
          /^[A-Za-z][\w-]{0,63}$/.test(k) &&
          (x === null || typeof x === 'boolean' || typeof x === 'number' || (typeof x === 'string' && x.length <= 1000)),
      )
    );
  }
  defaultMessage(): string {
    return 'settings must map setting names to strings (≤1000), numbers, booleans or null; at most 30';
  }
}
import { AccountStatus } from '@tongfa/accounts';
import { PageQueryDto } from '../common/dto';

export class CreateAccountDto {
  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  @IsUUID()
  unitId: string;

  @ApiProperty({ example: 'weibo', description: 'plugin id: weibo, wechat, douyin, toutiao, nanfang, own-app, …' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,63}$/, { message: 'platform must be a plugin id (lower-case letters, digits, -)' })
  platform: string;

  @ApiProperty({ example: '青山东区发布' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ example: '1404376560' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  platformAccountId?: string;

  @ApiPropertyOptional({ description: 'required for a second account on the same platform (一个单位原则上只开设一个)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  exceptionReason?: string;
}

export class DecideAccountDto {
  @ApiProperty({ enum: ['approve', 'reject'], example: 'approve' })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @ApiPropertyOptional({ example: '同意开设，请于 3 日内备案' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  comment?: string;
}

export class UpdateAccountDto {
  @ApiPropertyOptional({ example: '青山东区发布' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ example: '1404376560' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  platformAccountId?: string;

  @ApiPropertyOptional({ example: '青山市东区人民政府办公室' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  verifiedSubject?: string;

  @ApiPropertyOptional({
    example: { siteUrl: 'https://www.qingshan.gov.cn' },
    description: 'plugin settings for this account (null removes one)',
  })
  @IsOptional()
  @IsObject()
  @Validate(FlatSettings)
  settings?: Record<string, string | number | boolean | null>;

  @ApiPropertyOptional({ enum: [AccountStatus.Active, AccountStatus.Suspended, AccountStatus.Cancelled] })
  @IsOptional()
  @IsIn([AccountStatus.Active, AccountStatus.Suspended, AccountStatus.Cancelled])
  status?: AccountStatus.Active | AccountStatus.Suspended | AccountStatus.Cancelled;

  @ApiPropertyOptional({ example: '2026-11-20T00:00:00+08:00', description: 'when the change took effect (default now)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  effectiveAt?: Date;

  @ApiPropertyOptional({ example: '机构改革，账号更名' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class FileDto {
  @ApiPropertyOptional({ description: 'the filing to mark as filed; default the oldest unfiled one' })
  @IsOptional()
  @IsUUID()
  filingId?: string;

  @ApiPropertyOptional({ example: '青府办备〔2026〕12号' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class AccountListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: 'wechat' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  platform?: string;

  @ApiPropertyOptional({ enum: AccountStatus })
  @IsOptional()
  @IsEnum(AccountStatus)
  status?: AccountStatus;

  @ApiPropertyOptional({ enum: ['consistent', 'inconsistent'] })
  @IsOptional()
  @IsIn(['consistent', 'inconsistent'])
  naming?: 'consistent' | 'inconsistent';
}

export class FilingListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['pending', 'overdue', 'filed', 'late'],
    description: 'overdue: missing past the 3-day deadline, or filed late',
  })
  @IsOptional()
  @IsIn(['pending', 'overdue', 'filed', 'late'])
  status?: 'pending' | 'overdue' | 'filed' | 'late';

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  accountId?: string;
}

export class MatrixQueryDto {
  @ApiPropertyOptional({ description: 'the top of the subtree (default: the caller’s whole scope)' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 20,
    description:
      '只返回顶层单位及其下若干层（各行 `childCount` 为下级单位数，可再按 `unitId` 展开）/ only the top unit(s) and this many levels below them (each row’s `childCount` counts the units directly below it, to open with `unitId`); the totals stay those of the whole subtree. Default: every level.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20)
  levels?: number;
}
