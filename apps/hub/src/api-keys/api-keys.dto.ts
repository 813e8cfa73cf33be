import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDate, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { API_KEY_SCOPES, ApiKeyScope, Role } from '@tongfa/identity';
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
    description:
      'roles the key acts with; each must be held by the creator over the same or a wider subtree (may be empty when scopes are given)',
  })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RoleGrantDto)
  grants: RoleGrantDto[];

  @ApiPropertyOptional({
    enum: API_KEY_SCOPES,
    isArray: true,
    example: ['qa:query'],
    description: 'qa:query: query the Q&A library for the key’s unit (websites, hotlines, chatbots; public fields only)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes?: ApiKeyScope[];

  @ApiPropertyOptional({
    example: ['https://www.gd.gov.cn'],
    description: 'web origins allowed to call with this key from a browser (CORS)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^https?:\/\/[a-z0-9.-]+(:\d+)?$/i, { each: true, message: '须为网站来源，如 https://www.example.gov.cn / must be an origin' })
  allowedOrigins?: string[];

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
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  scopes: ApiKeyScope[];
  @ApiProperty({ type: [String] })
  allowedOrigins: string[];
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
