import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'editor.tianhe' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'Tongfa#2026demo' })
  @IsString()
  @Length(1, 128)
  password: string;

  @ApiPropertyOptional({ example: '123456', description: 'TOTP code, when two-factor authentication is enabled' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'otp must be 6 digits' })
  otp?: string;

  @ApiPropertyOptional({ example: 'AB12C-DE34F', description: 'a one-time recovery code instead of otp' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  recoveryCode?: string;
}

export class TokenResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIs…' })
  accessToken: string;
  @ApiProperty({ example: '01930f6e-….1.x8Jd….Qm3' })
  refreshToken: string;
  @ApiProperty({ example: 900, description: 'seconds until the access token expires' })
  expiresIn: number;
  @ApiProperty({ example: false, description: 'the session is limited to changing the password until it is changed' })
  mustChangePassword: boolean;
  @ApiProperty({ example: false, description: 'the role requires two-factor enrolment before anything else' })
  mfaEnrollmentRequired: boolean;
}

export class RefreshDto {
  @ApiProperty({ example: '01930f6e-….1.x8Jd….Qm3' })
  @IsString()
  @Length(10, 512)
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'Temp#Pass2026' })
  @IsString()
  @Length(1, 128)
  currentPassword: string;

  @ApiProperty({ example: 'N3w-Secure#Pass' })
  @IsString()
  @Length(1, 128)
  newPassword: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

export class TotpDisableDto {
  @ApiProperty({ example: 'N3w-Secure#Pass' })
  @IsString()
  @Length(1, 128)
  password: string;

  @ApiPropertyOptional({ example: '123456', description: 'a current code from the authenticator app (or recoveryCode)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'otp must be 6 digits' })
  otp?: string;

  @ApiPropertyOptional({ example: 'AB12C-DE34F', description: 'a one-time recovery code instead of otp' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  recoveryCode?: string;
}
