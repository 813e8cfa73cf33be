import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { relative } from 'node:path';
import { DataSource, In } from 'typeorm';
import { AppConfig, Clock } from '@tongfa/core';
import { AuditService } from '@tongfa/audit';
import { ManuscriptsService, ReviewService } from '@tongfa/manuscripts';
import {
  ActorLoader,
  makeCreditCode,
  PasswordHasher,
  resetPasswordBySystem,
  Role,
  Unit,
  UnitLevel,
  UnitsService,
  User,
  UsersService,
} from '@tongfa/identity';
import { JobQueue } from '@tongfa/jobs';
import { DEMO_PASSWORD, DEMO_USERNAMES, DemoSeed, seedDemo } from './demo/demo-seeder';
import { seedDemoContent } from './demo/demo-content';

/**
 * At start-up: the bootstrap operator (TONGFA_BOOTSTRAP_ADMIN), the demo province (TONGFA_DEMO),
 * and the daily audit-retention job.
 */
@Injectable()
export class StartupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Startup');
  private timer: NodeJS.Timeout | null = null;
  /** The demo users, for the start-up banner (null without TONGFA_DEMO). */
  demo: DemoSeed | null = null;
  /** Whether anyone can sign in at all (else the banner says how to create the first operator). */
  hasUsers = true;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly units: UnitsService,
    private readonly users: UsersService,
    private readonly queue: JobQueue,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly actors: ActorLoader,
    private readonly manuscripts: ManuscriptsService,
    private readonly review: ReviewService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.reportSecretKey();
    const production = this.config.env.NODE_ENV === 'production';
    // Whether or not the demo is on now: a database a development start seeded keeps no published password in production.
    if (production) await this.retirePublishedDemoPasswords();
    const bootstrap = this.config.env.TONGFA_BOOTSTRAP_ADMIN;
    if (this.config.demo) this.demo = await seedDemo(this.units, this.users, this.ds, { withOperator: !bootstrap, production });
    if (this.demo?.seeded) {
      await seedDemoContent({ ds: this.ds, actors: this.actors, manuscripts: this.manuscripts, review: this.review });
    }
    if (bootstrap) await this.ensureBootstrapAdmin(bootstrap);
    this.hasUsers = await this.ds.getRepository(User).exists();
    // Not awaited: a queue that cannot reach Redis must not hold the start-up (readiness reports it).
    void this.scheduleRetention();
    // Once a day; the job id makes several hub processes schedule it once.
    this.timer = setInterval(() => void this.scheduleRetention(), 3600_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async scheduleRetention(): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    try {
      await this.queue.add('audit.purge', { retentionDays: this.config.env.TONGFA_AUDIT_RETENTION_DAYS }, { jobId: `audit.purge:${day}` });
    } catch (e) {
      this.logger.warn(`could not schedule audit retention: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private reportSecretKey(): void {
    const source = this.config.secretKeySource;
    if (source?.kind === 'file' && source.created) {
      const shown = relative(process.cwd(), source.file);
      const where = shown.startsWith('..') ? source.file : shown;
      this.logger.warn(
        `未设置 TONGFA_SECRET_KEY：已生成随机密钥并保存在 ${where}（权限 0600），请与数据库一同备份 / ` +
          'TONGFA_SECRET_KEY unset: generated a random key and kept it there (mode 0600); back it up with the database',
      );
    } else if (source?.kind === 'ephemeral') {
      this.logger.warn(
        '未设置 TONGFA_SECRET_KEY：内存数据库使用本进程的临时密钥 / TONGFA_SECRET_KEY unset: an in-memory database uses a key of this process only',
      );
    }
  }

  /**
   * Demo users still holding the published demo password get a random temporary one (never
   * shown): a database seeded by a development start must not open in production with a password
   * printed in the README. Recorded in the audit log; their sessions end.
   */
  private async retirePublishedDemoPasswords(): Promise<void> {
    const candidates = await this.ds.getRepository(User).find({ where: { username: In(DEMO_USERNAMES) } });
    for (const user of candidates) {
      if (!user.passwordHash || !(await this.hasher.verify(user.passwordHash, DEMO_PASSWORD))) continue;
      await resetPasswordBySystem(this.ds, this.hasher, this.clock, user.username, async (m, r) => {
        await this.audit.record(
          {
            actorName: '系统 system',
            unitId: r.user.unitId,
            unitPath: r.user.unitPath,
            action: 'user.password.reset',
            targetType: 'user',
            targetId: r.user.id,
            after: { username: r.user.username, via: 'startup', reason: 'published demo password in production', mustChangePassword: true },
          },
          m,
        );
      });
      this.logger.warn(
        `演示用户 ${user.username} 仍使用公开的演示密码，已改为临时密码（不显示）/ demo user ${user.username} still had the published password: replaced by a temporary one (not shown)`,
      );
    }
  }

  private async ensureBootstrapAdmin(spec: string): Promise<void> {
    const i = spec.indexOf(':');
    const username = spec.slice(0, i);
    const password = spec.slice(i + 1);
    if (await this.ds.getRepository(User).exists({ where: { username } })) return;
    let root = await this.units.root();
    if (!root) {
      root = await this.units.createRoot({
        name: '省级集约化平台（请修改名称与代码）',
        creditCode: makeCreditCode('100000', 1),
        regionCode: '100000',
      });
      this.logger.warn(
        'no units existed: created a placeholder root unit; set its name, creditCode and regionCode with PATCH /api/v1/units/:id',
      );
    }
    await this.users.create(
      null,
      { username, displayName: '系统管理员', unitId: root.id, password, roles: [{ role: Role.PlatformOperator, unitId: root.id }] },
      { permanent: true },
    );
    this.logger.log(`bootstrap platform operator "${username}" created at the root unit`);
  }
}

export { Unit, UnitLevel };
