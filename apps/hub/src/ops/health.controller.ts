import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: '存活检查 / Liveness: the process answers' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: '就绪检查 / Readiness: the database and, in distributed mode, Redis answer' })
  @HealthCheck()
  ready() {
    const checks: (() => Promise<HealthIndicatorResult>)[] = [() => this.db.pingCheck('database', { timeout: 2000 })];
    if (!this.config.embedded) checks.push(() => this.redis.check('redis'));
    return this.health.check(checks);
  }
}
