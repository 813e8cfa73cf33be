import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { UnitLevel } from '@tongfa/identity';
import { PageQueryDto } from '../common/dto';

export class CreateUnitDto {
  @ApiProperty({ example: '天河区人民政府办公室' })
  @IsString()
  @Length(2, 100)
  name: string;

  @ApiProperty({ enum: UnitLevel, example: UnitLevel.County })
  @IsEnum(UnitLevel)
  level: UnitLevel;

  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  @IsUUID()
  parentId: string;

  @ApiProperty({ example: '91350100M000100Y43', description: '统一社会信用代码 (18 characters, check digit verified)' })
  @IsString()
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{18}$/, { message: 'creditCode must be 18 characters of the GB 32100 alphabet' })
  creditCode: string;

  @ApiProperty({ example: '440106', description: 'GB/T 2260 region code' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'regionCode must be 6 digits' })
  regionCode: string;
}

export class UpdateUnitDto {
  @ApiPropertyOptional({ example: '天河区政务服务数据管理局' })
  @IsOptional()
  @IsString()
  @Length(2, 100)
  name?: string;

  @ApiPropertyOptional({ example: '91350100M000100Y43' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{18}$/, { message: 'creditCode must be 18 characters of the GB 32100 alphabet' })
  creditCode?: string;

  @ApiPropertyOptional({ example: '440106' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'regionCode must be 6 digits' })
  regionCode?: string;

  @ApiPropertyOptional({
    example: '01930f6e-6a0b-7c3d-8e4f-5a6b7c8d9e0f',
    description: 'move the unit (and its subtree) under another parent',
  })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class UnitListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ enum: UnitLevel })
  @IsOptional()
  @IsEnum(UnitLevel)
  level?: UnitLevel;

  @ApiPropertyOptional({ description: 'name contains' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  q?: string;
}
