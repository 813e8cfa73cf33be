import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiNextCursor } from '../common/dto';
import { Role, UserStatus } from '@tongfa/identity';

const UNIT = '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d';

export class RoleGrantViewDto {
  @ApiProperty({ enum: Role, example: Role.Reviewer })
  role: Role;
  @ApiProperty({ example: UNIT })
  unitId: string;
  @ApiPropertyOptional({ example: 1, nullable: true, type: Number, description: 'reviewers only: 1 初审, 2 复审, 3 终审' })
  level: number | null;
}

/** A user as the API returns it: never a password hash or a TOTP secret. */
export class UserResponseDto {
  @ApiProperty({ example: '01930f70-1a2b-7c3d-9e4f-5a6b7c8d9e0f' })
  id: string;
  @ApiProperty({ example: 'editor.tianhe' })
  username: string;
  @ApiProperty({ example: '张敏' })
  displayName: string;
  @ApiProperty({ example: UNIT })
  unitId: string;
  @ApiProperty({ enum: UserStatus, example: UserStatus.Active })
  status: UserStatus;
  @ApiProperty({ example: true, description: 'a temporary password must be changed at the next sign-in' })
  mustChangePassword: boolean;
  @ApiProperty({ example: false })
  totpEnabled: boolean;
  @ApiProperty({ example: false, description: 'locked after too many wrong passwords' })
  locked: boolean;
  @ApiPropertyOptional({ example: '2026-11-23T08:00:00.000Z', nullable: true, type: Date })
  lastLoginAt: Date | null;
  @ApiProperty({ example: '2026-11-01T08:00:00.000Z' })
  createdAt: Date;
  @ApiProperty({ type: [RoleGrantViewDto] })
  roles: RoleGrantViewDto[];
  @ApiPropertyOptional({
    example: true,
    description:
      'whether the caller may reset, disable, unlock, edit or re-role this user (false for oneself and for users above the caller’s grants)',
  })
  manageable?: boolean;
}

export class UserPageDto {
  @ApiProperty({ type: [UserResponseDto] })
  items: UserResponseDto[];
  @ApiProperty({ example: 1280 })
  total: number;
  @ApiNextCursor()
  next?: string | null;
}
