import { Body, Controller, Delete, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import {
  Actor,
  AuthService,
  PasswordHasher,
  TotpService,
  UsersService,
  IdentityError,
  IdentityException,
  ROLE_NAMES,
  TokenPair,
} from '@tongfa/identity';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { User } from '@tongfa/identity';
import { AllowRestricted, CurrentActor, Public } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { ChangePasswordDto, LoginDto, RefreshDto, TokenResponseDto, TotpCodeDto, TotpDisableDto } from './auth.dto';
import { AccessTokenDto, MeResponseDto, TotpActivatedDto, TotpSetupDto } from './auth.responses';
import { LocalAuthGuard } from './local-auth.guard';
import { LoginThrottleGuard } from './login-throttle';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly totp: TotpService,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly trail: AuditTrail,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  // The throttle runs first, so a flood of guesses is refused before any password is hashed.
  @UseGuards(LoginThrottleGuard, LocalAuthGuard)
  @ApiOperation({ summary: '账号密码登录 / Sign in with username and password (and a TOTP code when enrolled)' })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiTooManyRequestsResponse({
    description: 'more than TONGFA_LOGIN_RATE_LIMIT attempts from one address, or for one username, in a minute',
  })
  login(@Req() req: Request & { user: TokenPair }): TokenResponseDto {
    return req.user;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: '轮换刷新令牌 / Rotate the refresh token; reusing an old one revokes the session' })
  @ApiOkResponse({ type: TokenResponseDto })
  async refresh(@Body() dto: RefreshDto): Promise<TokenResponseDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @AllowRestricted()
  @ApiBearerAuth()
  @ApiOperation({ summary: '退出登录 / End this session' })
  @ApiNoContentResponse({ description: 'signed out' })
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    if (actor.via.sessionId) await this.auth.logout(actor.via.sessionId);
    await this.trail.record({ action: 'auth.logout', targetType: 'session', targetId: actor.via.sessionId ?? null });
  }

  @Post('password')
  @HttpCode(200)
  @AllowRestricted()
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改本人密码 / Change one’s own password; returns a fresh access token' })
  @ApiOkResponse({ type: AccessTokenDto })
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto): Promise<{ accessToken: string; expiresIn: number }> {
    await this.auth.changePassword(actor.userId, actor.via.sessionId, dto.currentPassword, dto.newPassword);
    await this.trail.record({ action: 'auth.password.change', targetType: 'user', targetId: actor.userId });
    if (!actor.via.sessionId) return { accessToken: '', expiresIn: 0 };
    return this.auth.reissueAccess(actor.userId, actor.via.sessionId);
  }

  @Get('me')
  @AllowRestricted()
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前用户 / The signed-in user with roles and restrictions' })
  @ApiOkResponse({ type: MeResponseDto })
  async me(@CurrentActor() actor: Actor, @Req() req: Request & { sessionRestriction?: string }) {
    const user = await this.ds.getRepository(User).findOneOrFail({ where: { id: actor.userId } });
    const view = await this.users.view(this.ds.manager, user);
    return {
      ...view,
      roles: view.roles.map((r) => ({ ...r, name: ROLE_NAMES[r.role] })),
      restriction: req.sessionRestriction ?? null,
      via: actor.via.apiKeyId ? 'api_key' : 'session',
    };
  }

  @Post('totp/setup')
  @HttpCode(200)
  @AllowRestricted()
  @ApiBearerAuth()
  @ApiOperation({ summary: '开始绑定动态口令 / Start TOTP enrolment: returns the secret and an otpauth:// URL' })
  @ApiOkResponse({ type: TotpSetupDto })
  async totpSetup(@CurrentActor() actor: Actor) {
    return this.totp.setup(actor.userId);
  }

  @Post('totp/activate')
  @HttpCode(200)
  @AllowRestricted()
  @ApiBearerAuth()
  @ApiOperation({ summary: '确认绑定 / Confirm enrolment with a first code; returns ten recovery codes, shown once' })
  @ApiOkResponse({ type: TotpActivatedDto })
  async totpActivate(@CurrentActor() actor: Actor, @Body() dto: TotpCodeDto) {
    const res = await this.totp.activate(actor.userId, dto.code);
    await this.trail.record({ action: 'auth.totp.enable', targetType: 'user', targetId: actor.userId });
    const access = actor.via.sessionId ? await this.auth.reissueAccess(actor.userId, actor.via.sessionId) : null;
    return { ...res, ...(access ?? {}) };
  }

  @Delete('totp')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '解除动态口令 / Remove one’s own second factor (password and a current code or recovery code required)' })
  @ApiNoContentResponse({ description: 'second factor removed' })
  async totpDisable(@CurrentActor() actor: Actor, @Body() dto: TotpDisableDto): Promise<void> {
    const user = await this.ds.getRepository(User).findOneOrFail({ where: { id: actor.userId } });
    if (!user.passwordHash || !(await this.hasher.verify(user.passwordHash, dto.password))) {
      throw new IdentityException(IdentityError.PasswordWrong, {}, [{ field: 'password', message: '密码不正确' }]);
    }
    await this.totp.assertOptional(actor.userId);
    // The factor itself must agree: a stolen session plus a phished password cannot strip it.
    const factor = user.totpEnabled ? await this.totp.verify(user, dto.otp, dto.recoveryCode) : 'totp';
    if (factor !== 'totp' && factor !== 'recovery') {
      throw new IdentityException(IdentityError.MfaCodeWrong, {}, [{ field: 'otp', message: '动态验证码不正确或已使用' }]);
    }
    await this.totp.disable(actor.userId);
    await this.trail.record({ action: 'auth.totp.disable', targetType: 'user', targetId: actor.userId });
  }
}
