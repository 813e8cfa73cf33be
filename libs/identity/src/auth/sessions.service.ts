import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, newId } from '@tongfa/core';
import { Session } from '../entities';
import { IdentityError, IdentityException } from '../identity.exception';

export type SessionRestriction = 'password_change' | 'mfa_enrollment';

export interface IssuedRefresh {
  session: Session;
  refreshToken: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Refresh-token families. A token is `<sessionId>.<generation>.<random>.<mac>`; only the hash of
 * the current generation is stored. A token with a valid MAC but an older generation can only be
 * a replay of a rotated token, so the session is revoked (reuse detection). The MAC keeps a
 * stranger who merely knows a session id from revoking it with made-up tokens.
 */
@Injectable()
export class SessionsService {
  private readonly macKey: string;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.macKey = `${config.secretKey}:refresh`;
  }

  async open(
    userId: string,
    method: string,
    restriction: SessionRestriction | null,
    meta: { ip?: string; userAgent?: string },
  ): Promise<IssuedRefresh> {
    const now = this.clock.now();
    const id = newId();
    const token = this.mint(id, 1);
    const session = this.ds.getRepository(Session).create({
      id,
      userId,
      tokenHash: sha256(token),
      generation: 1,
      method,
      restriction,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.env.TONGFA_REFRESH_TOKEN_TTL * 1000),
      revokedAt: null,
      revokedReason: null,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 255) ?? null,
    });
    await this.ds.getRepository(Session).save(session);
    return { session, refreshToken: token };
  }

  /** Rotates a refresh token. Concurrency: the UPDATE is conditional on the old hash, so two
   * simultaneous refreshes with one token cannot both win; the loser is treated as reuse. */
  async rotate(refreshToken: string): Promise<IssuedRefresh> {
    const parsed = this.parse(refreshToken);
    if (!parsed) throw new IdentityException(IdentityError.RefreshInvalid);
    const repo = this.ds.getRepository(Session);
    const session = await repo.findOne({ where: { id: parsed.sid } });
    if (!session) throw new IdentityException(IdentityError.RefreshInvalid);
    await this.assertAlive(session);
    const hash = sha256(refreshToken);
    if (hash !== session.tokenHash) {
      if (parsed.gen < session.generation) {
        await this.revoke(session.id, 'refresh_reuse');
        throw new IdentityException(IdentityError.RefreshReused);
      }
      throw new IdentityException(IdentityError.RefreshInvalid);
    }
    const next = this.mint(session.id, session.generation + 1);
    const now = this.clock.now();
    const res = await repo
      .createQueryBuilder()
      .update(Session)
      .set({ tokenHash: sha256(next), generation: session.generation + 1, lastSeenAt: now })
      .where('id = :id AND tokenHash = :hash AND revokedAt IS NULL', { id: session.id, hash })
      .execute();
    if (!res.affected) {
      await this.revoke(session.id, 'refresh_reuse');
      throw new IdentityException(IdentityError.RefreshReused);
    }
    session.tokenHash = sha256(next);
    session.generation += 1;
    session.lastSeenAt = now;
    return { session, refreshToken: next };
  }

  /** Checks a session on an authenticated request and records activity (at most once a minute). */
  async touch(sessionId: string): Promise<Session> {
    const repo = this.ds.getRepository(Session);
    const session = await repo.findOne({ where: { id: sessionId } });
    if (!session) throw new IdentityException(IdentityError.SessionExpired);
    await this.assertAlive(session);
    const now = this.clock.now();
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
      await repo.update({ id: session.id }, { lastSeenAt: now });
      session.lastSeenAt = now;
    }
    return session;
  }

  /** Sets what the session is still limited to (null lifts it); refreshed access tokens follow it. */
  async restrict(sessionId: string, restriction: SessionRestriction | null): Promise<void> {
    await this.ds.getRepository(Session).update({ id: sessionId }, { restriction });
  }

  private readonly listeners: ((e: { sessionId?: string; userId?: string }) => void)[] = [];

  /** Lets caches of session-derived state (the actor cache) drop entries when sessions change. */
  onChange(listener: (e: { sessionId?: string; userId?: string }) => void): void {
    this.listeners.push(listener);
  }

  private changed(e: { sessionId?: string; userId?: string }): void {
    for (const l of this.listeners) l(e);
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    this.changed({ sessionId });
    await this.ds
      .getRepository(Session)
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: this.clock.now(), revokedReason: reason })
      .where('id = :id AND revokedAt IS NULL', { id: sessionId })
      .execute();
  }

  async revokeAllOf(userId: string, reason: string, exceptSessionId?: string): Promise<void> {
    this.changed({ userId });
    const qb = this.ds
      .getRepository(Session)
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: this.clock.now(), revokedReason: reason })
      .where('userId = :userId AND revokedAt IS NULL', { userId });
    if (exceptSessionId) qb.andWhere('id <> :sid', { sid: exceptSessionId });
    await qb.execute();
  }

  private async assertAlive(session: Session): Promise<void> {
    const now = this.clock.now().getTime();
    if (session.revokedAt) {
      throw new IdentityException(session.revokedReason === 'refresh_reuse' ? IdentityError.RefreshReused : IdentityError.SessionExpired);
    }
    if (session.expiresAt.getTime() <= now) throw new IdentityException(IdentityError.SessionExpired);
    if (now - session.lastSeenAt.getTime() > this.config.env.TONGFA_IDLE_TIMEOUT * 1000) {
      // 等保: an idle session ends; revocation is recorded so it cannot be revived.
      await this.revoke(session.id, 'idle');
      throw new IdentityException(IdentityError.SessionExpired);
    }
  }

  private mint(sid: string, gen: number): string {
    const body = `${sid}.${gen}.${randomBytes(24).toString('base64url')}`;
    return `${body}.${this.mac(body)}`;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.macKey).update(body).digest('base64url').slice(0, 32);
  }

  private parse(token: string): { sid: string; gen: number } | null {
    const parts = token.split('.');
    if (parts.length !== 4) return null;
    const [sid, gen, rand, mac] = parts as [string, string, string, string];
    const expected = Buffer.from(this.mac(`${sid}.${gen}.${rand}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const n = Number(gen);
    return Number.isInteger(n) && n > 0 ? { sid, gen: n } : null;
  }
}
