import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { AppConfig } from '@tongfa/core';
import { Public } from '../common/decorators';
import { RedisProbe } from './redis-probe';

@ApiTags('ops')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisProbe,
    private readonly config: AppConfig,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: (() => Promise<HealthIndicatorResult>)[] = [() => this.db.pingCheck('database', { timeout: 2000 })];
    if (!this.config.embedded) checks.push(() => this.redis.check('redis'));
    return this.health.check(checks);
  }
}
