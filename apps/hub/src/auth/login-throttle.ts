import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, normalizeIp, ThrottlerException, ThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '@tongfa/core';

const WINDOW_MS = 60_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The sign-in rate limit, shared by every door a password comes through (POST /auth/login and the
 * OpenID provider's form): TONGFA_LOGIN_RATE_LIMIT attempts a minute per client address and per
 * username, counted in one set of buckets so switching doors does not double an attacker's rate.
 * Over the limit, the bucket stays shut for a minute. The per-username lockout after wrong
 * passwords (AuthService) comes on top of this.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  /** Counts one attempt; throws ThrottlerException (429) when the address or the username is over the limit. */
  async consume(ip: string | undefined, username: string): Promise<void> {
    const limit = this.config.env.TONGFA_LOGIN_RATE_LIMIT;
    // Usernames compare case-insensitively on MySQL, so "Admin" and "admin" share a bucket.
    const buckets = [`ip:${normalizeIp(ip ?? 'unknown')}`, `user:${username.slice(0, 64).toLowerCase()}`];
    for (const bucket of buckets) {
      const r = await this.storage.increment(sha256(`login-${bucket}`), WINDOW_MS, limit, WINDOW_MS, 'login');
      if (r.isBlocked) throw new ThrottlerException();
    }
  }
}

/** Runs LoginThrottle before the password is looked at, so a flood is refused before any hashing. */
@Injectable()
export class LoginThrottleGuard implements CanActivate {
  constructor(private readonly throttle: LoginThrottle) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const username = (req.body as { username?: unknown } | undefined)?.username;
    await this.throttle.consume(req.ip, typeof username === 'string' ? username : '');
    return true;
  }
}
