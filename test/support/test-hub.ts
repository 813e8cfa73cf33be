import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppConfig, ManualClock } from '@tongfa/core';
import { createDataSource, createTestDatabase, DatabaseDriver, TestDatabase } from '@tongfa/database';
import { createHub } from '../../apps/hub/src/bootstrap';

export interface TestHub {
  driver: DatabaseDriver;
  app: INestApplication;
  http: TestAgent;
  ds: DataSource;
  clock: ManualClock;
  config: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

export function testRedisUrl(): string {
  return process.env.TONGFA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/**
 * Starts the hub on a database of its own: MariaDB with Bull on Redis (the distributed shape)
 * or SQLite with in-process jobs (the embedded shape). Migrations run as in production.
 */
export async function startTestHub(
  driver: DatabaseDriver,
  env: Record<string, string> = {},
  /** consumeJobs: false leaves the jobs to a separate worker process (distributed shape). */
  opts: { consumeJobs?: boolean } = {},
): Promise<TestHub> {
  const db = await createTestDatabase(driver);
  const base: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    TONGFA_SECRET_KEY: randomBytes(32).toString('hex'),
    TONGFA_LOG_LEVEL: process.env.TONGFA_TEST_LOGS ? 'error' : 'silent',
    TONGFA_LOGIN_RATE_LIMIT: '100000',
    TONGFA_DEMO: '0',
    TONGFA_QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
  };
  if (driver === 'mysql') base.REDIS_URL = testRedisUrl();
  const config = AppConfig.fromEnv({ ...base, ...env });
  if (driver === 'mysql') {
    // The distributed mode migrates with `npm run migrate` before any process starts.
    const mig = await createDataSource(db.url);
    await mig.initialize();
    await mig.runMigrations();
    await mig.destroy();
  }
  const clock = new ManualClock();
  const app = await createHub(config, { clock, consumeJobs: opts.consumeJobs ?? true, quiet: !process.env.TONGFA_TEST_LOGS });
  await app.init();
  const ds = app.get(DataSource);
  return {
    driver,
    app,
    http: request(app.getHttpServer()),
    ds,
    clock,
    config,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
