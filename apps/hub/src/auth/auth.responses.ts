import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role } from '@tongfa/identity';
import { UserResponseDto } from '../users/users.responses';

export class AccessTokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIs…' })
  accessToken: string;
  @ApiProperty({ example: 900, description: 'seconds until the access token expires' })
  expiresIn: number;
}

export class MeRoleDto {
  @ApiProperty({ enum: Role, example: Role.Editor })
  role: Role;
  @ApiProperty({ example: '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d' })
  unitId: string;
  @ApiPropertyOptional({ example: null, nullable: true, type: Number })
  level: number | null;
  @ApiProperty({ example: '采编' })
  name: string;
}

export class MeResponseDto extends UserResponseDto {
  @ApiProperty({ type: [MeRoleDto] })
  declare roles: MeRoleDto[];
  @ApiPropertyOptional({
    example: null,
    nullable: true,
    enum: ['password_change', 'mfa_enrollment'],
    description: 'what the session must do before anything else',
  })
  restriction: string | null;
  @ApiProperty({ example: 'session', enum: ['session', 'api_key'] })
  via: 'session' | 'api_key';
}

export class TotpSetupDto {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXP', description: 'base32 secret, shown once' })
  secret: string;
  @ApiProperty({
    example: 'otpauth://totp/Tongfa%20%E7%BB%9F%E5%8F%91:editor.tianhe?secret=JBSWY3DPEHPK3PXP&issuer=Tongfa%20%E7%BB%9F%E5%8F%91',
  })
  otpauthUrl: string;
}

export class TotpActivatedDto {
  @ApiProperty({ example: ['AB12C-DE34F', 'GH56J-KL78M'], description: 'ten one-time recovery codes, shown once' })
  recoveryCodes: string[];
  @ApiPropertyOptional({ example: 'eyJhbGciOiJIUzI1NiIs…', description: 'a fresh access token without the enrolment restriction' })
  accessToken?: string;
  @ApiPropertyOptional({ example: 900 })
  expiresIn?: number;
}
