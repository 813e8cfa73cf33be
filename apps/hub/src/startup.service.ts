import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@tongfa/core';
import { makeCreditCode, Role, Unit, UnitLevel, UnitsService, User, UsersService } from '@tongfa/identity';
import { JobQueue } from '@tongfa/jobs';
import { seedDemo } from './demo/demo-seeder';

/**
 * At start-up: the bootstrap operator (TONGFA_BOOTSTRAP_ADMIN), the demo province (TONGFA_DEMO),
 * and the daily audit-retention job.
 */
@Injectable()
export class StartupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Startup');
  private timer: NodeJS.Timeout | null = null;
  /** What the demo printed, for the embedded start banner. */
  banner: string[] = [];

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly units: UnitsService,
    private readonly users: UsersService,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bootstrap = this.config.env.TONGFA_BOOTSTRAP_ADMIN;
    if (this.config.demo) this.banner = await seedDemo(this.units, this.users, this.ds, !bootstrap);
    if (bootstrap) await this.ensureBootstrapAdmin(bootstrap);
    await this.scheduleRetention();
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

export function randomPassword(): string {
  // Four classes guaranteed, 16 characters.
  return `Tf-${randomBytes(9).toString('base64url')}9a`;
}

export { Unit, UnitLevel };
