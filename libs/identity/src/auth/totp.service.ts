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

/** TOTP second factor (RFC 6238, 30 s, 6 digits, ±1 step) with ten one-time recovery codes. */
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
    await this.ds.getRepository(User).update({ id: userId }, { totpSecret: this.box.seal(secret) });
    return { secret, otpauthUrl: authenticator.keyuri(user.username, 'Tongfa 统发', secret) };
  }

  /** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
  async activate(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    const user = await this.ds.getRepository(User).findOneOrFail({ where: { id: userId } });
    if (user.totpEnabled) throw new IdentityException(IdentityError.MfaAlreadyEnabled);
    if (!user.totpSecret) throw new IdentityException(IdentityError.MfaNotEnrolled);
    if (!this.check(user.totpSecret, code))
      throw new IdentityException(IdentityError.MfaCodeWrong, {}, [{ field: 'code', message: '验证码不正确' }]);
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

  async disable(userId: string): Promise<void> {
    const required = this.config.env.TONGFA_MFA_REQUIRED_ROLES as Role[];
    if (required.length && (await this.ds.getRepository(RoleAssignment).exists({ where: { userId, role: In(required) } }))) {
      throw new IdentityException(IdentityError.MfaRequiredByRole);
    }
    await this.ds.transaction(async (m) => {
      await m.update(User, { id: userId }, { totpEnabled: false, totpSecret: null });
      await m.delete(RecoveryCode, { userId });
    });
  }

  /** Verifies a login's second factor: a current TOTP code, or an unused recovery code (spent). */
  async verify(user: User, otp?: string, recoveryCode?: string): Promise<'totp' | 'recovery' | null> {
    if (otp && user.totpSecret && this.check(user.totpSecret, otp)) return 'totp';
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
    return null;
  }

  private check(sealed: string, code: string): boolean {
    const secret = this.box.open(sealed);
    const t = authenticator.clone({ window: 1, epoch: this.clock.now().getTime() });
    return /^\d{6}$/.test(code) && t.check(code, secret);
  }
}
