import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Role, UserStatus } from '@tongfa/identity';
import { PageQueryDto } from '../common/dto';

export class RoleGrantDto {
  @ApiProperty({ enum: Role, example: Role.Editor })
  @IsEnum(Role)
  role: Role;

  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  @IsUUID()
  unitId: string;

  @ApiPropertyOptional({ example: 1, description: 'reviewers only: 1 初审, 2 复审, 3 终审' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  level?: number;
}

export class CreateUserDto {
  @ApiProperty({ example: 'editor.tianhe' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'username must be 3–64 letters, digits, _ . or -' })
  username: string;

  @ApiProperty({ example: '张敏' })
  @IsString()
  @Length(1, 64)
  displayName: string;

  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  @IsUUID()
  unitId: string;

  @ApiProperty({ example: 'Temp#Pass2026', description: 'temporary: it must be changed at the first sign-in' })
  @IsString()
  @Length(1, 128)
  password: string;

  @ApiPropertyOptional({ type: [RoleGrantDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RoleGrantDto)
  roles?: RoleGrantDto[];
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: '张敏' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  displayName?: string;

  @ApiPropertyOptional({ enum: UserStatus, example: UserStatus.Disabled })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus;

  @ApiPropertyOptional({ example: true, description: 'clear a login lockout' })
  @IsOptional()
  @IsBoolean()
  unlock?: boolean;

  @ApiPropertyOptional({ example: 'Temp#Pass2026', description: 'reset to a temporary password' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  password?: string;
}

export class SetRolesDto {
  @ApiProperty({ type: [RoleGrantDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RoleGrantDto)
  roles: RoleGrantDto[];
}

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @ApiPropertyOptional({ enum: UserStatus })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus;

  @ApiPropertyOptional({ description: 'username or display name contains' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  q?: string;
}
