import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, In, IsNull } from 'typeorm';
import { authenticator } from 'otplib';
import { AppConfig, Clock, newId } from '@tongfa/core';
import { RecoveryCode, RoleAssignment, User } from '../entities';
import { Role } from '../roles';
import { IdentityError, IdentityException } from '../identity.exception';
import { SecretBox } from './secret-box';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const STEP_MS = 30_000;

/** Outcome of checking a second factor: which one passed, a replayed code, or nothing. */
export type SecondFactor = 'totp' | 'recovery' | 'replayed' | null;

/**
 * TOTP second factor (RFC 6238, 30 s, 6 digits, ±1 step) with ten one-time recovery codes. Every
 * accepted code spends its time step for the user, so each code works once (RFC 6238 §5.2).
 */
@Injectable()
export class TotpService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.box = new SecretBox(config.secretKey, 'totp');
  }

  /** Starts enrolment: a new secret, stored sealed but not yet active. */
  async setup(userId: string): Promise<{ secret: string; otpauthUrl: string }> {
    const user = await this.ds.getRepository(User).findOneOrFail({ where: { id: userId } });
    if (user.totpEnabled) throw new IdentityException(IdentityError.MfaAlreadyEnabled);
    const secret = authenticator.generateSecret(20);
    // A new secret starts a new sequence of codes: the last step spent belongs to the old one.
    await this.ds.getRepository(User).update({ id: userId }, { totpSecret: this.box.seal(secret), totpLastStep: null });
    return { secret, otpauthUrl: authenticator.keyuri(user.username, 'Tongfa 统发', secret) };
  }

  /** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
  async activate(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    const user = await this.ds.getRepository(User).findOneOrFail({ where: { id: userId } });
    if (user.totpEnabled) throw new IdentityException(IdentityError.MfaAlreadyEnabled);
    if (!user.totpSecret) throw new IdentityException(IdentityError.MfaNotEnrolled);
    // The enrolment code is spent too: whoever watched it being typed cannot sign in with it.
    const step = this.matchStep(user.totpSecret, code);
    if (step === null || !(await this.spend(userId, step))) {
      throw new IdentityException(IdentityError.MfaCodeWrong, {}, [{ field: 'code', message: '验证码不正确' }]);
    }
    const codes = Array.from({ length: 10 }, () =>
      randomBytes(5)
        .toString('hex')
        .toUpperCase()
        .replace(/(.{5})/, '$1-'),
    );
    await this.ds.transaction(async (m) => {
      await m.update(User, { id: userId }, { totpEnabled: true });
      await m.delete(RecoveryCode, { userId });
      await m.save(codes.map((c) => m.create(RecoveryCode, { id: newId(), userId, codeHash: sha256(c), usedAt: null })));
    });
    return { recoveryCodes: codes };
  }

  /** Refuses when one of the user's roles requires a second factor (TONGFA_MFA_REQUIRED_ROLES). */
  async assertOptional(userId: string): Promise<void> {
    const required = this.config.env.TONGFA_MFA_REQUIRED_ROLES as Role[];
    if (required.length && (await this.ds.getRepository(RoleAssignment).exists({ where: { userId, role: In(required) } }))) {
      throw new IdentityException(IdentityError.MfaRequiredByRole);
    }
  }

  async disable(userId: string): Promise<void> {
    await this.assertOptional(userId);
    await this.ds.transaction(async (m) => {
      await m.update(User, { id: userId }, { totpEnabled: false, totpSecret: null });
      await m.delete(RecoveryCode, { userId });
    });
  }

  /**
   * Verifies a sign-in's second factor: a current TOTP code whose time step was not used before,
   * or an unused recovery code; either is spent. 'replayed': the code was right but already used.
   */
  async verify(user: User, otp?: string, recoveryCode?: string): Promise<SecondFactor> {
    let replayed = false;
    if (otp && user.totpSecret) {
      const step = this.matchStep(user.totpSecret, otp);
      if (step !== null) {
        if (await this.spend(user.id, step)) return 'totp';
        replayed = true;
      }
    }
    if (recoveryCode) {
      const hash = sha256(recoveryCode.trim().toUpperCase());
      // Conditional update: a recovery code can be spent once even under concurrent logins.
      const res = await this.ds
        .createQueryBuilder()
        .update(RecoveryCode)
        .set({ usedAt: this.clock.now() })
        .where({ userId: user.id, codeHash: hash, usedAt: IsNull() })
        .execute();
      if (res.affected) return 'recovery';
    }
    return replayed ? 'replayed' : null;
  }

  /** The time step `code` belongs to (now, or one step either side), or null for a wrong code. */
  private matchStep(sealed: string, code: string): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const now = this.clock.now().getTime();
    const delta = authenticator.clone({ window: 1, epoch: now }).checkDelta(code, this.box.open(sealed));
    return delta === null ? null : Math.floor(now / STEP_MS) + delta;
  }

  /**
   * Spends a time step for the user. Conditional update: of two sign-ins racing with one code only
   * one moves the step, and a code older than the last one spent is refused as well.
   */
  private async spend(userId: string, step: number): Promise<boolean> {
    const res = await this.ds
      .createQueryBuilder()
      .update(User)
      .set({ totpLastStep: step })
      .where('id = :id AND (totpLastStep IS NULL OR totpLastStep < :step)', { id: userId, step })
      .execute();
    return !!res.affected;
  }
}
