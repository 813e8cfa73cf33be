import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { Role } from '@tongfa/identity';
import { RoleGrantDto } from '../users/users.dto';

export class CreateApiKeyDto {
  @ApiProperty({ example: '甲市融媒体中心稿件同步', description: 'what the machine client is, for the people who will revoke it' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d', description: 'the unit that owns the key' })
  @IsUUID()
  unitId: string;

  @ApiProperty({
    type: [RoleGrantDto],
    description: 'roles the key acts with; each must be held by the creator over the same or a wider subtree',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RoleGrantDto)
  grants: RoleGrantDto[];

  @ApiPropertyOptional({ example: '2027-06-30T00:00:00Z', description: 'after this moment the key is refused; omit for no expiry' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;
}

export class ApiKeyGrantView {
  @ApiProperty({ enum: Role, example: Role.Editor })
  role: Role;
  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  unitId: string;
  @ApiPropertyOptional({ example: null, nullable: true })
  level?: number | null;
}

export class ApiKeyViewDto {
  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  id: string;
  @ApiProperty({ example: '甲市融媒体中心稿件同步' })
  name: string;
  @ApiProperty({ example: '01930f6e-0000-7a2e-9c1d-3f5e2a1b0c9d' })
  ownerId: string;
  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  unitId: string;
  @ApiProperty({ type: [ApiKeyGrantView] })
  grants: ApiKeyGrantView[];
  @ApiPropertyOptional({ nullable: true, example: '2027-06-30T00:00:00.000Z' })
  expiresAt: Date | null;
  @ApiPropertyOptional({ nullable: true })
  lastUsedAt: Date | null;
  @ApiPropertyOptional({ nullable: true })
  revokedAt: Date | null;
  @ApiProperty()
  createdAt: Date;
}

export class CreatedApiKeyDto extends ApiKeyViewDto {
  @ApiProperty({
    example: 'tfk_01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d_Zq3…',
    description: 'the key, shown this once: send it as `Authorization: Bearer <token>`; only a hash is kept',
  })
  token: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyViewDto] })
  items: ApiKeyViewDto[];
  @ApiProperty({ example: 1 })
  total: number;
}
