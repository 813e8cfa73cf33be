import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import type { Request } from 'express';
import { AuthService, LoginOutcome, TokenPair } from '@tongfa/identity';
import { AuditTrail } from '../common/audit-trail';
import type { LoginDto } from './auth.dto';

/**
 * Username and password sign-in through passport-local. The request is passed through so the
 * second factor (otp or recoveryCode) reaches AuthService.login with the credentials; the
 * "user" the strategy yields is the issued token pair. Every attempt is audited, success or not.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(
    private readonly auth: AuthService,
    private readonly trail: AuditTrail,
  ) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true, session: false });
  }

  async validate(req: Request, username: string, password: string): Promise<TokenPair> {
    const { otp, recoveryCode } = req.body as LoginDto;
    const outcome: LoginOutcome = { userId: null, unitPath: null };
    const meta = { ip: req.ip, userAgent: req.headers['user-agent'] };
    const entry = { actorName: username.slice(0, 64), action: 'auth.login', targetType: 'user' };
    try {
      const tokens = await this.auth.login({ username, password, otp, recoveryCode }, meta, outcome);
      await this.trail.record({
        ...entry,
        actorId: outcome.userId,
        unitPath: outcome.unitPath,
        targetId: outcome.userId,
        after: { method: otp ? 'totp' : recoveryCode ? 'recovery' : 'password', mustChangePassword: tokens.mustChangePassword },
      });
      return tokens;
    } catch (e) {
      await this.trail.record({
        ...entry,
        actorId: outcome.userId,
        unitPath: outcome.unitPath,
        targetId: outcome.userId,
        result: 'failure',
        after: { reason: outcome.reason ?? 'error' },
      });
      throw e;
    }
  }
}
