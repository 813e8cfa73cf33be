import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig, CommonError, CommonException } from '@tongfa/core';
import { Actor, ActorLoader, ApiKeysService, AuthService, Role } from '@tongfa/identity';
import { AccountConnectionsService, PluginHost, PluginsError, PluginsException } from '@tongfa/plugins';
import { CurrentActor, Public } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { bearerToken } from '../common/auth.guard';
import { API_PREFIX } from '../bootstrap';
import { CredentialsDto, OAuthCallbackQueryDto, SandboxDto } from './plugins.dto';

/**
 * Connecting registered accounts to their platforms. Declared before the accounts controller so
 * `accounts/oauth/callback` is not taken for an account id.
 */
@ApiTags('accounts')
@Controller('accounts')
export class AccountConnectionsController {
  constructor(
    private readonly connections: AccountConnectionsService,
    private readonly trail: AuditTrail,
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly actors: ActorLoader,
    private readonly host: PluginHost,
  ) {}

  private get redirectUri(): string {
    return `${this.config.publicUrl}/${API_PREFIX}/accounts/oauth/callback`;
  }

  @Get('oauth/callback')
  @Public()
  @ApiOperation({
    summary: 'OAuth 回调：用授权码换取令牌并核验账号 / OAuth callback: exchanges the code, verifies and connects the account',
  })
  async callback(@Query() q: OAuthCallbackQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { view, userId, account } = await this.connections.finishOAuth(q.code, q.state, await this.optionalActor(req));
    await this.trail.record({
      actorId: userId,
      action: 'account.connect',
      targetType: 'account',
      targetId: account.id,
      unitId: account.unitId,
      unitPath: account.unitPath,
      after: {
        method: 'oauth2',
        platform: view.platform,
        platformAccountId: view.platformAccountId,
        verifiedSubject: view.verifiedSubject,
      },
    });
    // A browser lands here from the platform: send it on to the account's page in the console.
    res.status(302).location(`${this.config.publicUrl}/accounts/${account.id}?connected=1`);
    return view;
  }

  @Post(':id/credentials')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: '填写平台凭据，向平台核验后加密保存 / Enter credentials: verified with the platform, then stored sealed',
  })
  async credentials(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: CredentialsDto) {
    const view = await this.connections.connectWithCredentials(actor, id, dto.credentials);
    const account = view;
    await this.trail.record({
      action: 'account.connect',
      targetType: 'account',
      targetId: id,
      after: {
        method: 'credentials',
        platform: account.platform,
        fields: Object.keys(dto.credentials ?? {}).sort(),
        platformAccountId: view.platformAccountId,
        verifiedSubject: view.verifiedSubject,
      },
    });
    return view;
  }

  @Put(':id/sandbox')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      '平台运维：把账号指向沙箱模拟器或改回真实平台（已存凭据作废，须重新连接；生产环境默认拒绝）/ Platform operator: point an account at the sandbox simulator or back at the real platform (stored credentials are dropped; refused in production unless allowed)',
  })
  async sandbox(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: SandboxDto) {
    if (!actor.hasRole(Role.PlatformOperator)) throw new CommonException(CommonError.Forbidden);
    if (dto.sandboxed && this.config.env.NODE_ENV === 'production' && this.config.env.TONGFA_ALLOW_SANDBOX_ACCOUNTS !== '1') {
      throw new PluginsException(PluginsError.SandboxInProduction);
    }
    const before = await this.connections.accountForOperator(id);
    const account = await this.connections.setSandboxed(id, dto.sandboxed, this.host.allowedSandboxOrigins[0]);
    await this.trail.record({
      action: 'account.sandbox',
      targetType: 'account',
      targetId: id,
      unitId: account.unitId,
      before: { sandboxed: before.sandbox, connection: before.connection },
      after: { sandboxed: account.sandbox, endpoints: account.endpoints, connection: account.connection },
    });
    return {
      id: account.id,
      platform: account.platform,
      sandboxed: account.sandbox,
      endpoints: account.endpoints,
      connection: account.connection,
    };
  }

  @Get(':id/connect')
  @ApiBearerAuth()
  @ApiOperation({
    summary: '跳转到平台授权页（state 10 分钟内一次有效）/ Redirects to the platform’s authorization page (single-use state, 10 minutes)',
  })
  async connect(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { authorizeUrl, expiresAt } = await this.connections.startOAuth(actor, id, this.redirectUri);
    await this.trail.record({ action: 'account.connect_start', targetType: 'account', targetId: id, after: { expiresAt } });
    // A script (the console) cannot read a cross-origin redirect: asking for JSON gets the URL instead.
    if (req.accepts(['html', 'json']) === 'json') return { authorizeUrl, expiresAt };
    res.status(302).location(authorizeUrl);
    return { authorizeUrl, expiresAt };
  }

  /** The callback is public (the platform redirects a browser); a caller who is signed in must be the one who started it. */
  private async optionalActor(req: Request): Promise<Actor | null> {
    const token = bearerToken(req);
    if (!token) return null;
    if (ApiKeysService.looksLikeKey(token)) return this.actors.forApiKey(token);
    const claims = await this.auth.verifyAccess(token);
    return this.actors.forSession(claims.sub, claims.sid);
  }
}
