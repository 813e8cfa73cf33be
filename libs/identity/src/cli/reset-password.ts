// `npm run user:reset-password -- <username>`: gives a user a random temporary password, printed
// once on this terminal, to be changed at the next sign-in. For the server's operator when a
// password is lost (the demo's generated operator, the bootstrap administrator): it needs access
// to the database, not an account. Every open session of the user ends; the audit log records it.
import { userInfo } from 'node:os';
import { AppConfig, SystemClock } from '@tongfa/core';
import { createDataSource } from '@tongfa/database';
import { AuditService } from '@tongfa/audit';
import { Argon2PasswordHasher } from '../auth/password-hasher';
import { resetPasswordBySystem } from '../auth/temporary-password';
import { UserStatus } from '../entities';

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length !== 1 || !/^[A-Za-z0-9_.-]{1,64}$/.test(args[0]!)) {
    process.stderr.write('用法 usage: npm run user:reset-password -- <username>\n');
    return 64; // EX_USAGE
  }
  const username = args[0]!;
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv(process.env, { secretKey: false });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 78; // EX_CONFIG
  }
  const ds = await createDataSource(config.env.DATABASE_URL);
  await ds.initialize();
  try {
    const clock = new SystemClock();
    const audit = new AuditService(ds, clock);
    const operator = safeOsUser();
    const reset = await resetPasswordBySystem(ds, new Argon2PasswordHasher(), clock, username, async (m, r) => {
      await audit.record(
        {
          actorId: null,
          actorName: `命令行 cli${operator ? `:${operator}` : ''}`,
          unitId: r.user.unitId,
          unitPath: r.user.unitPath,
          action: 'user.password.reset',
          targetType: 'user',
          targetId: r.user.id,
          after: { username: r.user.username, via: 'cli', mustChangePassword: true, sessionsRevoked: r.sessionsRevoked },
        },
        m,
      );
    });
    if (!reset) {
      process.stderr.write(`用户不存在 no such user: ${username}\n`);
      return 1;
    }
    process.stdout.write(
      [
        `已为 ${username} 设置临时密码，仅显示这一次，首次登录须修改 / temporary password for ${username}, shown this once; it must be changed at the next sign-in:`,
        `  ${reset.password}`,
        `已结束该用户的 ${reset.sessionsRevoked} 个会话 / ended ${reset.sessionsRevoked} open session(s).` +
          (reset.user.status === UserStatus.Disabled ? ' 注意：该用户已停用 / note: the user is disabled.' : ''),
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await ds.destroy();
  }
}

function safeOsUser(): string | null {
  try {
    return userInfo().username.slice(0, 32);
  } catch {
    return null;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
