import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { AppConfig } from '@tongfa/core';

/** Readiness of Redis (distributed mode): a PING with a short timeout on a lazy connection. */
@Injectable()
export class RedisProbe implements OnApplicationShutdown {
  private client: Redis | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const h = this.indicator.check(key);
    try {
      this.client ??= new Redis(this.config.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
      const pong = await Promise.race([
        this.client.ping(),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000).unref()),
      ]);
      return pong === 'PONG' ? h.up() : h.down({ message: String(pong) });
    } catch (e) {
      return h.down({ message: e instanceof Error ? e.message : 'unreachable' });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.client?.disconnect();
  }
}
