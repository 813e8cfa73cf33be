import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ActorLoader, ApiKeysService, AuthService, IdentityError, IdentityException } from '@tongfa/identity';
import { CommonError, CommonException } from '@tongfa/core';
import { ALLOW_RESTRICTED, IS_PUBLIC } from './decorators';
import { currentRequest } from './request-context';

export function bearerToken(req: Request): string | null {
  const h = req.headers.authorization;
  if (h && /^Bearer\s+/i.test(h)) return h.replace(/^Bearer\s+/i, '').trim();
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key : null;
}

/**
 * The global guard: every route needs a valid access token (JWT of a live session) or an API
 * key unless marked @Public. A restricted session (password change or MFA enrolment pending)
 * reaches only routes marked @AllowRestricted.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly actors: ActorLoader,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { actor?: unknown; sessionRestriction?: string }>();
    const token = bearerToken(req);
    if (!token) throw new CommonException(CommonError.Unauthenticated);
    let actor;
    if (ApiKeysService.looksLikeKey(token)) {
      actor = await this.actors.forApiKey(token);
    } else {
      const claims = await this.auth.verifyAccess(token);
      actor = await this.actors.forSession(claims.sub, claims.sid);
      if (claims.rst && !this.reflector.getAllAndOverride<boolean>(ALLOW_RESTRICTED, targets)) {
        throw new IdentityException(
          claims.rst === 'password_change' ? IdentityError.PasswordChangeRequired : IdentityError.MfaEnrollmentRequired,
        );
      }
      req.sessionRestriction = claims.rst;
    }
    req.actor = actor;
    const rc = currentRequest();
    if (rc) rc.actor = actor;
    return true;
  }
}
