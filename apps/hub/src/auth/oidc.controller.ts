import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { CookieOptions, Request, Response } from 'express';
import { AppConfig } from '@tongfa/core';
import { newOidcOutcome, OidcLoginOutcome, OidcLoginService, OIDC_STATE_TTL_SECONDS } from '@tongfa/identity';
import { Public } from '../common/decorators';
import { AuditTrail } from '../common/audit-trail';
import { TokenResponseDto } from './auth.dto';
import { OidcTicketDto } from './oidc.dto';

/** Binds a pending sign-in to the browser that started it (against login CSRF). */
const STATE_COOKIE = 'tongfa_oidc_state';

/**
 * Single sign-on through the provincial identity provider. The browser ends up at the console
 * with a one-time ticket in the URL fragment (never sent to a server, never in a Referer), which
 * the console trades for tokens; an API client that accepts JSON gets the tokens directly.
 */
@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcLoginService,
    private readonly trail: AuditTrail,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('config')
  @ApiOperation({ summary: '是否启用统一身份认证 / Whether single sign-on is configured (the sign-in page shows its button)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { enabled: { type: 'boolean', example: true } } } })
  settings(): { enabled: boolean } {
    return { enabled: this.oidc.enabled };
  }

  @Public()
  @Get('login')
  @Throttle({ login: { limit: 20, ttl: 60_000 } })
  @ApiOperation({ summary: '统一身份认证登录 / Redirect to the provincial identity provider (state, nonce, PKCE)' })
  async login(@Res() res: Response): Promise<void> {
    const { url, state } = await this.oidc.begin();
    res.cookie(STATE_COOKIE, state, this.cookieOptions(OIDC_STATE_TTL_SECONDS * 1000));
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  }

  @Public()
  @Get('callback')
  @ApiOperation({ summary: '统一身份认证回调 / Callback from the identity provider; redirects to the console with a one-time ticket' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const outcome = newOidcOutcome();
    res.setHeader('Cache-Control', 'no-store');
    res.clearCookie(STATE_COOKIE, this.cookieOptions());
    // The URL the IdP redirected to, rebuilt on the configured redirect URI (the hub may sit behind a proxy).
    const callbackUrl = new URL(this.config.env.TONGFA_OIDC_REDIRECT_URI ?? 'http://unconfigured.invalid/');
    callbackUrl.search = new URL(req.originalUrl, 'http://x').search;
    const wantsJson = req.accepts(['html', 'json']) === 'json';
    try {
      const user = await this.oidc.complete(callbackUrl, readCookie(req, STATE_COOKIE), outcome);
      await this.audit(outcome, 'success');
      if (wantsJson) {
        res.json(await this.oidc.signIn(user, { ip: req.ip, userAgent: req.headers['user-agent'] }, outcome));
        return;
      }
      const ticket = await this.oidc.issueTicket(user);
      res.redirect(302, `/#ticket=${encodeURIComponent(ticket)}`);
    } catch (e) {
      await this.audit(outcome, 'failure');
      throw e;
    }
  }

  @Public()
  @Post('ticket')
  @HttpCode(200)
  @Throttle({ login: { limit: 20, ttl: 60_000 } })
  @ApiOperation({ summary: '兑换登录票据 / Trade the one-time ticket from single sign-on for tokens' })
  @ApiOkResponse({ type: TokenResponseDto })
  async ticket(@Body() dto: OidcTicketDto, @Req() req: Request): Promise<TokenResponseDto> {
    const outcome = newOidcOutcome();
    try {
      const tokens = await this.oidc.redeemTicket(dto.ticket, { ip: req.ip, userAgent: req.headers['user-agent'] }, outcome);
      await this.trail.record({
        actorId: outcome.userId,
        actorName: outcome.username,
        unitPath: outcome.unitPath,
        action: 'auth.oidc.ticket',
        targetType: 'user',
        targetId: outcome.userId,
        after: { mustChangePassword: tokens.mustChangePassword },
      });
      return tokens;
    } catch (e) {
      await this.trail.record({
        action: 'auth.oidc.ticket',
        targetType: 'user',
        result: 'failure',
        after: { reason: outcome.reason ?? 'error' },
      });
      throw e;
    }
  }

  private async audit(outcome: OidcLoginOutcome, result: 'success' | 'failure'): Promise<void> {
    await this.trail.record({
      actorId: outcome.userId,
      actorName: outcome.username,
      unitPath: outcome.unitPath,
      action: 'auth.oidc.login',
      targetType: 'user',
      targetId: outcome.userId,
      result,
      after: {
        subject: outcome.subject,
        provisioned: outcome.provisioned,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
      },
    });
  }

  private cookieOptions(maxAge?: number): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.publicUrl.startsWith('https:'),
      path: '/api/v1/auth/oidc',
      ...(maxAge ? { maxAge } : {}),
    };
  }
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
