import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, newId } from '@tongfa/core';
import { PasswordHistory, RoleAssignment, User, UserStatus } from '../entities';
import { Role } from '../roles';
import { IdentityError, IdentityException } from '../identity.exception';
import { PasswordHasher } from './password-hasher';
import { checkPasswordComplexity } from './password-policy';
import { SessionRestriction, SessionsService } from './sessions.service';
import { TotpService } from './totp.service';

export interface LoginInput {
  username: string;
  password: string;
  otp?: string;
  recoveryCode?: string;
}

export interface ClientMeta {
  ip?: string;
  userAgent?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  mustChangePassword: boolean;
  mfaEnrollmentRequired: boolean;
}

export interface AccessClaims {
  sub: string;
  sid: string;
  rst?: SessionRestriction;
}

/** Outcome of a sign-in attempt, for the audit log (the caller records it). */
export interface LoginOutcome {
  userId: string | null;
  unitPath: string | null;
  reason?: string;
}

@Injectable()
export class AuthService {
  /** Verified against when the username is unknown, so timing does not reveal which usernames exist. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly totp: TotpService,
    private readonly jwt: JwtService,
  ) {}

  async login(input: LoginInput, meta: ClientMeta, outcome: LoginOutcome = { userId: null, unitPath: null }): Promise<TokenPair> {
    const { user, method } = await this.authenticate(input, outcome);
    return this.issue(user, method, meta);
  }

  /**
   * Checks a password sign-in (lockout, status, second factor) without opening a session; Tongfa's
   * own OpenID provider signs users in with it for the matrix's other apps.
   */
  async authenticate(input: LoginInput, outcome: LoginOutcome = { userId: null, unitPath: null }): Promise<{ user: User; method: string }> {
    const repo = this.ds.getRepository(User);
    const user = await repo.findOne({ where: { username: input.username } });
    if (!user || !user.passwordHash) {
      this.dummyHash ??= this.hasher.hash('tongfa-timing-equaliser-Aa1!');
      await this.hasher.verify(await this.dummyHash, input.password);
      outcome.reason = 'unknown_user';
      throw new IdentityException(IdentityError.InvalidCredentials);
    }
    outcome.userId = user.id;
    outcome.unitPath = user.unitPath;
    const now = this.clock.now();
    if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) {
      outcome.reason = 'locked';
      throw new IdentityException(IdentityError.AccountLocked, { until: user.lockedUntil });
    }
    if (!(await this.hasher.verify(user.passwordHash, input.password))) {
      outcome.reason = 'wrong_password';
      await this.failOrLock(user, outcome, IdentityError.InvalidCredentials);
    }
    if (user.status !== UserStatus.Active) {
      outcome.reason = 'disabled';
      throw new IdentityException(IdentityError.AccountDisabled);
    }
    let method = 'password';
    if (user.totpEnabled) {
      if (!input.otp && !input.recoveryCode) {
        outcome.reason = 'mfa_required';
        throw new IdentityException(IdentityError.MfaRequired);
      }
      const factor = await this.totp.verify(user, input.otp, input.recoveryCode);
      if (!factor || factor === 'replayed') {
        // A replayed code counts as a failure: whoever sends it has the password and a watched code.
        outcome.reason = factor === 'replayed' ? 'mfa_replayed' : 'mfa_invalid';
        await this.failOrLock(user, outcome, factor === 'replayed' ? IdentityError.MfaReplayed : IdentityError.MfaInvalid);
      }
      method = `password+${factor}`;
    }
    await repo.update({ id: user.id }, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now });
    return { user, method };
  }

  /**
   * Signs a user in for another app of the matrix (Tongfa's OpenID provider): the password sign-in,
   * then what a console session would demand before anything else — a due password change
   * (temporary or expired) or a second factor the user's roles require. The app gets nothing until
   * the user has done that in Tongfa, since only Tongfa's console can do it.
   */
  async authenticateForApp(
    input: LoginInput,
    outcome: LoginOutcome = { userId: null, unitPath: null },
  ): Promise<{ user: User; method: string }> {
    const result = await this.authenticate(input, outcome);
    const restriction = await this.restrictionFor(result.user);
    if (restriction === 'password_change') {
      outcome.reason = 'password_change_required';
      throw new IdentityException(IdentityError.PasswordChangeRequired);
    }
    if (restriction === 'mfa_enrollment') {
      outcome.reason = 'mfa_enrollment_required';
      throw new IdentityException(IdentityError.MfaEnrollmentRequired);
    }
    return result;
  }

  /** Opens a session for a user already authenticated elsewhere (OIDC); the caller checked status. */
  async issue(user: User, method: string, meta: ClientMeta): Promise<TokenPair> {
    const restriction = await this.restrictionFor(user);
    const { session, refreshToken } = await this.sessions.open(user.id, method, restriction, meta);
    return this.pair(user.id, session.id, restriction, refreshToken);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const { session, refreshToken: next } = await this.sessions.rotate(refreshToken);
    const user = await this.ds.getRepository(User).findOne({ where: { id: session.userId } });
    if (!user || user.status !== UserStatus.Active) {
      await this.sessions.revoke(session.id, 'user_disabled');
      throw new IdentityException(IdentityError.SessionExpired);
    }
    const restriction = (session.restriction as SessionRestriction | null) ?? null;
    return this.pair(user.id, session.id, restriction, next);
  }

  async logout(sessionId: string): Promise<void> {
    await this.sessions.revoke(sessionId, 'logout');
  }

  /** Changes one's own password; lifts a forced-change restriction and ends the other sessions. */
  async changePassword(userId: string, sessionId: string | undefined, current: string, next: string): Promise<void> {
    const repo = this.ds.getRepository(User);
    const user = await repo.findOneOrFail({ where: { id: userId } });
    if (!user.passwordHash || !(await this.hasher.verify(user.passwordHash, current))) {
      throw new IdentityException(IdentityError.PasswordWrong, {}, [{ field: 'currentPassword', message: '当前密码不正确' }]);
    }
    checkPasswordComplexity(next, user.username);
    // Ordered by the UUIDv7 id, not createdAt: SQLite's default timestamp has whole seconds only.
    const history = await this.ds.getRepository(PasswordHistory).find({ where: { userId }, order: { id: 'DESC' }, take: 5 });
    for (const h of history) {
      if (await this.hasher.verify(h.passwordHash, next)) {
        throw new IdentityException(IdentityError.PasswordReused, {}, [{ field: 'newPassword', message: '与最近使用过的密码相同' }]);
      }
    }
    const hash = await this.hasher.hash(next);
    await this.ds.transaction(async (m) => {
      await m.update(User, { id: userId }, { passwordHash: hash, mustChangePassword: false, passwordChangedAt: this.clock.now() });
      await m.save(PasswordHistory, { id: newId(), userId, passwordHash: hash });
    });
    if (sessionId) {
      await this.sessions.revokeAllOf(userId, 'password_changed', sessionId);
      // The session may still owe an MFA enrolment: record that rather than lifting everything.
      const fresh = await repo.findOneOrFail({ where: { id: userId } });
      await this.sessions.restrict(sessionId, await this.restrictionFor(fresh));
    } else {
      await this.sessions.revokeAllOf(userId, 'password_changed');
    }
  }

  /** A new access token for a session whose restriction was lifted (after password change or MFA enrolment). */
  async reissueAccess(userId: string, sessionId: string): Promise<{ accessToken: string; expiresIn: number }> {
    const user = await this.ds.getRepository(User).findOneOrFail({ where: { id: userId } });
    const rst = await this.restrictionFor(user);
    await this.sessions.restrict(sessionId, rst);
    return {
      accessToken: await this.sign({ sub: userId, sid: sessionId, ...(rst ? { rst } : {}) }),
      expiresIn: this.config.env.TONGFA_ACCESS_TOKEN_TTL,
    };
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      // Expiry is judged by the injected clock, so the 15-minute lifetime holds under a ManualClock too.
      return await this.jwt.verifyAsync<AccessClaims>(token, { clockTimestamp: this.epochSeconds() });
    } catch {
      throw new IdentityException(IdentityError.TokenInvalid);
    }
  }

  private async restrictionFor(user: User): Promise<SessionRestriction | null> {
    const maxAge = this.config.env.TONGFA_PASSWORD_MAX_AGE_DAYS;
    const expired =
      maxAge > 0 && !!user.passwordChangedAt && this.clock.now().getTime() - user.passwordChangedAt.getTime() > maxAge * 86_400_000;
    if (user.passwordHash && (user.mustChangePassword || expired)) return 'password_change';
    const required = this.config.env.TONGFA_MFA_REQUIRED_ROLES as Role[];
    if (!user.totpEnabled && required.length > 0) {
      const roles = await this.ds.getRepository(RoleAssignment).find({ where: { userId: user.id }, select: { role: true } });
      if (roles.some((r) => required.includes(r.role))) return 'mfa_enrollment';
    }
    return null;
  }

  /** Counts a failed factor and throws: `code`, or 423 when this failure locks the account. */
  private async failOrLock(user: User, outcome: LoginOutcome, code: IdentityError): Promise<never> {
    const lockedUntil = await this.recordFailure(user);
    if (lockedUntil) {
      outcome.reason = `${outcome.reason ?? 'failure'}+locked`;
      throw new IdentityException(IdentityError.AccountLocked, { until: lockedUntil });
    }
    throw new IdentityException(code);
  }

  private async recordFailure(user: User): Promise<Date | null> {
    const max = this.config.env.TONGFA_LOGIN_MAX_FAILURES;
    // Increment in SQL so concurrent wrong guesses all count.
    await this.ds
      .createQueryBuilder()
      .update(User)
      .set({ failedLoginCount: () => 'failedLoginCount + 1' })
      .where('id = :id', { id: user.id })
      .execute();
    const fresh = await this.ds.getRepository(User).findOneOrFail({ where: { id: user.id }, select: { id: true, failedLoginCount: true } });
    if (fresh.failedLoginCount >= max) {
      const until = new Date(this.clock.now().getTime() + this.config.env.TONGFA_LOGIN_LOCK_MINUTES * 60_000);
      await this.ds.getRepository(User).update({ id: user.id }, { lockedUntil: until, failedLoginCount: 0 });
      return until;
    }
    return null;
  }

  private epochSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  /** Signs access claims; `iat` (and so `exp`) comes from the injected clock. */
  private sign(claims: AccessClaims): Promise<string> {
    return this.jwt.signAsync({ ...claims, iat: this.epochSeconds() });
  }

  private async pair(userId: string, sid: string, rst: SessionRestriction | null, refreshToken: string): Promise<TokenPair> {
    return {
      accessToken: await this.sign({ sub: userId, sid, ...(rst ? { rst } : {}) }),
      refreshToken,
      expiresIn: this.config.env.TONGFA_ACCESS_TOKEN_TTL,
      mustChangePassword: rst === 'password_change',
      mfaEnrollmentRequired: rst === 'mfa_enrollment',
    };
  }
}
