import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AppConfig } from '@tongfa/core';

type Record = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The sign-in counters of a province: in Redis, so an attacker who spreads attempts over every hub
 * behind the load balancer meets one limit, not one per process. If Redis cannot answer, the
 * counting falls back to this process's memory rather than failing every sign-in (a per-process
 * limit still stops a flood; a 500 on the login page would lock every editor out).
 */
export class SharedThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('LoginThrottle');
  private warned = false;

  constructor(
    private readonly shared: ThrottlerStorageRedisService,
    private readonly local: ThrottlerStorageService,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<Record> {
    try {
      const r = await this.shared.increment(key, ttl, limit, blockDuration, name);
      this.warned = false;
      return r;
    } catch (e) {
      if (!this.warned) {
        this.warned = true;
        this.logger.warn({ err: (e as Error).message }, 'Redis unavailable: sign-in limits counted per process');
      }
      return this.local.increment(key, ttl, limit, blockDuration, name);
    }
  }

  onApplicationShutdown(): void {
    this.shared.redis.disconnect(false);
    this.local.onApplicationShutdown();
  }
}

/** Redis-backed counters when the hub runs distributed (REDIS_URL), memory when embedded. */
export function loginThrottleStorage(config: AppConfig): ThrottlerStorage {
  const local = new ThrottlerStorageService();
  const url = config.env.REDIS_URL;
  if (!url) return local;
  const redis = new ThrottlerStorageRedisService(url, {
    keyPrefix: `${config.env.TONGFA_QUEUE_PREFIX}:throttle:`,
    // Fail fast to the local fallback instead of holding a sign-in while ioredis reconnects.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
  });
  // ioredis reports connection errors as events; the fallback above already speaks for them.
  redis.redis.on('error', () => undefined);
  return new SharedThrottlerStorage(redis, local);
}
