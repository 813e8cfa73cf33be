import { randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { PasswordHistory, Session, User } from '../entities';
import { PasswordHasher } from './password-hasher';
import { checkPasswordComplexity } from './password-policy';

/**
 * A random password for someone to change at first sign-in: 96 random bits as base64url, with a
 * fixed head and tail so it always has the four character classes the password policy counts.
 */
export function temporaryPassword(username = ''): string {
  for (;;) {
    const candidate = `Tf-${randomBytes(12).toString('base64url')}9a`;
    try {
      checkPasswordComplexity(candidate, username);
      return candidate;
    } catch {
      // A run of four equal characters or the username by chance: draw again.
    }
  }
}

export interface SystemPasswordReset {
  user: User;
  password: string;
  sessionsRevoked: number;
}

/**
 * Sets a random temporary password for `username` without an acting user (the operator's
 * `user:reset-password` command on the server): the user must change it at the next sign-in, a
 * lock from wrong passwords is lifted, and every open session ends, so whoever held the old
 * password or a stolen refresh token is out. `within` runs in the same transaction (the audit
 * entry), so the reset and its record commit together. Null when no such user exists.
 */
export async function resetPasswordBySystem(
  ds: DataSource,
  hasher: PasswordHasher,
  clock: Clock,
  username: string,
  within?: (m: import('typeorm').EntityManager, reset: SystemPasswordReset) => Promise<void>,
): Promise<SystemPasswordReset | null> {
  const password = temporaryPassword(username);
  const passwordHash = await hasher.hash(password);
  return ds.transaction(async (m) => {
    const user = await m.findOne(User, { where: { username } });
    if (!user) return null;
    const now = clock.now();
    user.passwordHash = passwordHash;
    user.mustChangePassword = true;
    user.passwordChangedAt = now;
    user.failedLoginCount = 0;
    user.lockedUntil = null;
    await m.save(user);
    await m.save(PasswordHistory, { id: newId(), userId: user.id, passwordHash });
    const revoked = await m.update(Session, { userId: user.id, revokedAt: IsNull() }, { revokedAt: now, revokedReason: 'password_reset' });
    const reset = { user, password, sessionsRevoked: revoked.affected ?? 0 };
    await within?.(m, reset);
    return reset;
  });
}
