import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Interaction } from 'oidc-provider';
import { ThrottlerException } from '@nestjs/throttler';
import { AuditService } from '@tongfa/audit';
import { DomainException, pickLang } from '@tongfa/core';
import { AuthService, IdentityError, LoginOutcome, OIDC_PROVIDER_PATH, OidcProvider, OidcProviderService } from '@tongfa/identity';
import { consentPage, interactionErrorPage, loginPage } from './oidc-interaction.pages';
import { LoginThrottle } from './login-throttle';

interface LoginForm {
  username?: string;
  password?: string;
  otp?: string;
}

/**
 * Mounts Tongfa's OpenID provider at /oidc on the hub's Express instance, with the sign-in and
 * consent pages it sends browsers to. Runs during module init: after Nest's routes (which live
 * under /api/v1 and never match /oidc) and before Nest's not-found handler.
 */
@Injectable()
export class OidcProviderMount implements OnModuleInit {
  private readonly logger = new Logger('OidcProviderMount');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly op: OidcProviderService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
  ) {}

  async onModuleInit(): Promise<void> {
    const app = this.adapterHost.httpAdapter.getInstance<Express>();
    if (!this.op.enabled) {
      app.use(OIDC_PROVIDER_PATH, (req: Request, res: Response) => {
        const en = pickLang(req.headers['accept-language']) === 'en';
        res.status(404).json({
          statusCode: 404,
          error: 'Not Found',
          code: IdentityError.OidcNotConfigured,
          message: en
            ? 'Tongfa is not configured as an OpenID provider (set TONGFA_OIDC_PROVIDER_CLIENTS)'
            : '未启用统发 OpenID 身份提供方（需配置 TONGFA_OIDC_PROVIDER_CLIENTS）',
          details: [],
        });
      });
      return;
    }
    // Built now, not at the first request: the signing key is created on first start.
    const provider = await this.op.instance();
    const base = `${OIDC_PROVIDER_PATH}/interaction/:uid`;
    const wrap =
      (fn: (req: Request, res: Response, provider: OidcProvider) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
        this.noStore(res);
        fn(req, res, provider).catch((e: unknown) => this.interactionFailed(e, res, next));
      };
    app.get(
      base,
      wrap((req, res, p) => this.show(req, res, p)),
    );
    app.post(
      `${base}/login`,
      wrap((req, res, p) => this.login(req, res, p)),
    );
    app.post(
      `${base}/consent`,
      wrap((req, res, p) => this.consent(req, res, p)),
    );
    app.use(OIDC_PROVIDER_PATH, provider.callback());
  }

  private async show(req: Request, res: Response, provider: OidcProvider): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const client = this.op.client(String(details.params.client_id));
    if (details.prompt.name === 'login') {
      this.html(res, 200, loginPage({ uid: details.uid, clientName: this.clientName(details) }));
      return;
    }
    if (details.prompt.name === 'consent') {
      if (client?.first_party) {
        const grantId = await this.op.grantConsent(provider, details);
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return;
      }
      const scopes = String(details.params.scope ?? 'openid').split(' ');
      this.html(res, 200, consentPage({ uid: details.uid, clientName: this.clientName(details), scopes }));
      return;
    }
    this.html(res, 400, interactionErrorPage('不支持的登录步骤'));
  }

  private async login(req: Request, res: Response, provider: OidcProvider): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== 'login') {
      this.html(res, 400, interactionErrorPage('登录步骤已完成或已过期'));
      return;
    }
    const form = (req.body ?? {}) as LoginForm;
    const username = String(form.username ?? '').slice(0, 64);
    const password = String(form.password ?? '').slice(0, 128);
    const otp = String(form.otp ?? '').trim();
    const clientId = String(details.params.client_id);
    const outcome: LoginOutcome = { userId: null, unitPath: null };
    const entry = {
      action: 'auth.oidc_provider.login',
      actorName: username,
      targetType: 'oidc_client',
      targetId: clientId,
      ip: req.ip ?? null,
    };
    try {
      // Same buckets as POST /auth/login: the form is no side door around the rate limit.
      await this.throttle.consume(req.ip, username);
    } catch (e) {
      if (!(e instanceof ThrottlerException)) throw e;
      res.setHeader('Retry-After', '60');
      const error = '登录尝试过于频繁，请一分钟后再试';
      this.html(res, 429, loginPage({ uid: details.uid, clientName: this.clientName(details), username, error }));
      return;
    }
    try {
      if (!username || !password) throw new EmptyForm();
      const { user, method } = await this.auth.authenticateForApp({ username, password, otp: otp || undefined }, outcome);
      await this.audit.record({ ...entry, actorId: user.id, unitId: user.unitId, unitPath: user.unitPath, after: { method } });
      const amr = method.includes('totp') ? ['pwd', 'otp'] : ['pwd'];
      await provider.interactionFinished(req, res, { login: { accountId: user.id, amr } }, { mergeWithLastSubmission: false });
    } catch (e) {
      if (!(e instanceof DomainException) && !(e instanceof EmptyForm)) throw e;
      await this.audit.record({
        ...entry,
        actorId: outcome.userId,
        unitPath: outcome.unitPath,
        result: 'failure',
        after: { reason: outcome.reason ?? (e instanceof EmptyForm ? 'empty_form' : 'error') },
      });
      const code = e instanceof DomainException ? e.code : null;
      const message = e instanceof EmptyForm ? '请输入用户名和密码' : (FORM_MESSAGES.get(code ?? '') ?? e.text('zh'));
      const otpRequired = code === IdentityError.MfaRequired || code === IdentityError.MfaInvalid || code === IdentityError.MfaReplayed;
      const status = e instanceof EmptyForm ? 400 : (FORM_STATUS.get(code ?? '') ?? 401);
      this.html(res, status, loginPage({ uid: details.uid, clientName: this.clientName(details), username, error: message, otpRequired }));
    }
  }

  private async consent(req: Request, res: Response, provider: OidcProvider): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== 'consent') {
      this.html(res, 400, interactionErrorPage('授权步骤已完成或已过期'));
      return;
    }
    if ((req.body as { decision?: string } | undefined)?.decision !== 'allow') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the user declined' },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    const grantId = await this.op.grantConsent(provider, details);
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  private clientName(details: Interaction): string {
    const c = this.op.client(String(details.params.client_id));
    return c?.client_name ?? c?.client_id ?? String(details.params.client_id);
  }

  private html(res: Response, status: number, body: string): void {
    // The form posts to this origin, which then redirects to the client's redirect URI: allow both.
    const origins = new Set(this.op.clients.flatMap((c) => c.redirect_uris.map((u) => new URL(u).origin)));
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' ${[...origins].join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
    );
    res.status(status).type('html').send(body);
  }

  private noStore(res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
  }

  private interactionFailed(e: unknown, res: Response, next: NextFunction): void {
    const name = (e as { name?: string }).name;
    if (name === 'SessionNotFound' || name === 'InvalidRequest') {
      this.html(res, 400, interactionErrorPage('登录请求已过期或不属于本浏览器'));
      return;
    }
    this.logger.error({ err: e }, 'OpenID provider interaction failed');
    next(e);
  }
}

class EmptyForm extends Error {}

/** What the user must do in Tongfa's console before another app may sign them in. */
const FORM_MESSAGES = new Map<string, string>([
  [IdentityError.PasswordChangeRequired, '您的密码是临时密码或已过期：请先登录统发修改密码，再登录其他应用'],
  [IdentityError.MfaEnrollmentRequired, '您的角色要求双因素认证：请先登录统发绑定动态口令，再登录其他应用'],
]);

const FORM_STATUS = new Map<string, number>([
  [IdentityError.AccountLocked, 423],
  [IdentityError.AccountDisabled, 403],
  [IdentityError.PasswordChangeRequired, 403],
  [IdentityError.MfaEnrollmentRequired, 403],
]);
