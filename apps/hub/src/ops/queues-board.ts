import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ActorLoader, ApiKeysService, AuthService, Permission } from '@tongfa/identity';
import { bearerToken } from '../common/auth.guard';

/** Reads the access token from the Authorization header or the console's `tf_access` cookie. */
function tokenOf(req: Request): string | null {
  const t = bearerToken(req);
  if (t) return t;
  const m = /(?:^|;\s*)tf_access=([^;]+)/.exec(req.headers.cookie ?? '');
  return m ? decodeURIComponent(m[1]!) : null;
}

/** Bull Board (and its embedded stand-in) is for platform operators only. */
@Injectable()
export class QueueAdminGate implements NestMiddleware {
  constructor(
    private readonly auth: AuthService,
    private readonly actors: ActorLoader,
  ) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const token = tokenOf(req);
      if (!token) throw new Error('no token');
      const actor = ApiKeysService.looksLikeKey(token)
        ? await this.actors.forApiKey(token)
        : await (async () => {
            const c = await this.auth.verifyAccess(token);
            if (c.rst) throw new Error('restricted');
            return this.actors.forSession(c.sub, c.sid);
          })();
      if (!actor.can(Permission.QueueAdmin)) {
        res.status(403).json({ statusCode: 403, error: 'Forbidden', message: '仅系统管理员可查看队列', details: [] });
        return;
      }
      next();
    } catch {
      res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: '请先登录', details: [] });
    }
  }
}
