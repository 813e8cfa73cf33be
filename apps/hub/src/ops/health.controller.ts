import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { AppConfig } from '@tongfa/core';
import { Public } from '../common/decorators';
import { RedisProbe } from './redis-probe';
import { StartupGate } from './startup-gate';

@ApiTags('ops')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisProbe,
    private readonly config: AppConfig,
    private readonly gate: StartupGate,
    private readonly indicator: HealthIndicatorService,
  ) {}

  @Get('live')
  @ApiOperation({ summary: '存活检查 / Liveness: the process answers' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: '就绪检查 / Readiness: start-up finished (the demo seeded), the database and, in distributed mode, Redis answer',
  })
  @HealthCheck()
  async ready() {
    const checks: (() => Promise<HealthIndicatorResult>)[] = [
      async () => {
        const h = this.indicator.check('startup');
        const waiting = this.gate.waitingFor;
        return waiting.length ? h.down({ message: `启动中 starting: ${waiting.join(', ')}` }) : h.up();
      },
      () => this.db.pingCheck('database', { timeout: 2000 }),
    ];
    if (!this.config.embedded) checks.push(() => this.redis.check('redis'));
    try {
      return await this.health.check(checks);
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      // Name what is not ready in the API's error shape (the hub's filter keeps message and details).
      const down = Object.entries((e.getResponse() as HealthCheckResult).error ?? {});
      throw new ServiceUnavailableException({
        message: `未就绪 not ready: ${down.map(([k]) => k).join(', ')}`,
        code: 'NOT_READY',
        details: down.map(([field, v]) => ({ field, code: 'down', message: String((v as { message?: unknown }).message ?? 'down') })),
      });
    }
  }
}
