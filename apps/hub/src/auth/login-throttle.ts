import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, normalizeIp, ThrottlerException, ThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { AuditService } from '@tongfa/audit';
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
  /** Buckets whose refusal this process has audited, until their block ends: one entry per block, not per attempt. */
  private readonly audited = new Map<string, number>();

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Counts one attempt; throws ThrottlerException (429) when the address or the username is over the limit. */
  async consume(ip: string | undefined, username: string): Promise<void> {
    const limit = this.config.env.TONGFA_LOGIN_RATE_LIMIT;
    // Usernames compare case-insensitively on MySQL, so "Admin" and "admin" share a bucket.
    const address = normalizeIp(ip ?? 'unknown');
    const name = username.slice(0, 64).toLowerCase();
    for (const [kind, bucket] of [
      ['ip', `ip:${address}`],
      ['username', `user:${name}`],
    ] as const) {
      const key = sha256(`login-${bucket}`);
      const r = await this.storage.increment(key, WINDOW_MS, limit, WINDOW_MS, 'login');
      if (r.isBlocked) {
        await this.recordRefusal(key, kind, address, name, limit);
        throw new ThrottlerException();
      }
    }
  }

  /** A guessing run leaves a trace (who, from where, which limit) without one audit entry per refused attempt. */
  private async recordRefusal(key: string, bucket: 'ip' | 'username', ip: string, username: string, limit: number): Promise<void> {
    const now = Date.now();
    if ((this.audited.get(key) ?? 0) > now) return;
    if (this.audited.size > 10_000) for (const [k, until] of this.audited) if (until <= now) this.audited.delete(k);
    this.audited.set(key, now + WINDOW_MS);
    await this.audit.record({
      actorId: null,
      actorName: username || null,
      action: 'auth.login.throttled',
      targetType: 'user',
      targetId: null,
      result: 'failure',
      after: { bucket, limitPerMinute: limit },
      ip,
      requestId: null,
    });
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
