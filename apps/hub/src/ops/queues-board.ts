import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CommonError, CommonException } from '@tongfa/core';
import { ActorLoader, ApiKeysService, AuthService, Permission } from '@tongfa/identity';
import { bearerToken } from '../common/auth.guard';

/** Reads the access token from the Authorization header or the console's `tf_access` cookie. */
function tokenOf(req: Request): string | null {
  const t = bearerToken(req);
  if (t) return t;
  const m = /(?:^|;\s*)tf_access=([^;]+)/.exec(req.headers.cookie ?? '');
  return m ? decodeURIComponent(m[1]!) : null;
}

/**
 * Bull Board (and its embedded stand-in) is for platform operators only. It is mounted on the
 * Express app outside Nest's router, so this gate runs as plain Express middleware in front of
 * it; refusals are passed to next() and rendered by the global exception filter.
 */
@Injectable()
export class QueueAdminGate implements NestMiddleware {
  constructor(
    private readonly auth: AuthService,
    private readonly actors: ActorLoader,
  ) {}

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    let actor;
    try {
      const token = tokenOf(req);
      if (!token) throw new Error('no token');
      actor = ApiKeysService.looksLikeKey(token)
        ? await this.actors.forApiKey(token)
        : await (async () => {
            const c = await this.auth.verifyAccess(token);
            if (c.rst) throw new Error('restricted');
            return this.actors.forSession(c.sub, c.sid);
          })();
    } catch {
      return next(new CommonException(CommonError.Unauthenticated));
    }
    if (!actor.can(Permission.QueueAdmin)) return next(new CommonException(CommonError.Forbidden));
    next();
  }
}
