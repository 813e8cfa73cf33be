import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

export class CredentialsDto {
  @ApiProperty({
    description: '平台凭据，字段见 GET /plugins 中该平台清单的 credentials / the fields of the platform manifest’s credentials',
    example: { appid: 'wx1234567890abcdef', secret: '••••••••' },
  })
  @IsObject()
  credentials: Record<string, string>;
}

export class OAuthCallbackQueryDto {
  @ApiProperty({ example: 'SplxlOBeZQQYbYS6WxSbIA' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  code?: string;

  @ApiProperty({ example: 'k5Y0n1Lw4m…' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  state?: string;
}

export class SandboxDto {
  @ApiProperty({ description: 'true：指向沙箱模拟器；false：改回真实平台 / true: the sandbox simulator; false: the real platform' })
  @IsBoolean()
  sandboxed: boolean;
}
