import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '@tongfa/core';
import { createDataSource, createTestDatabase, testDrivers, TestDatabase } from '@tongfa/database';
import { connectDemoAccounts } from '../apps/hub/src/demo/demo-accounts';
import { startHub, type StartedHub } from '../apps/hub/src/start';
import { testRedisUrl } from './support/test-hub';

/**
 * `/health/ready` answers ready only once start-up is complete: while the demo accounts are still
 * being connected to the sandbox the hub listens (liveness) but is not ready (503, naming why).
 */
for (const driver of testDrivers()) {
  describe(`readiness during the demo's start-up (${driver})`, () => {
    let db: TestDatabase;
    let hub: StartedHub;
    let during: { live: number; ready: number; body: { code?: string; details?: { field: string; message: string }[] } } | null = null;

    before(async () => {
      db = await createTestDatabase(driver);
      if (driver === 'mysql') {
        const mig = await createDataSource(db.url);
        await mig.initialize();
        await mig.runMigrations();
        await mig.destroy();
      }
      const config = AppConfig.fromEnv({
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        TONGFA_SECRET_KEY: randomBytes(32).toString('hex'),
        TONGFA_DEMO: '1',
        PORT: '0',
        SANDBOX_PORT: '0',
        HOST: '127.0.0.1',
        TONGFA_LOG_LEVEL: 'silent',
        TONGFA_QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
        ...(driver === 'mysql' ? { REDIS_URL: testRedisUrl() } : {}),
      });
      hub = await startHub(config, {
        quiet: true,
        // The shipped step, looked at from outside while it has not finished.
        connectAccounts: async (app, sandbox) => {
          const port = (app.getHttpServer().address() as AddressInfo).port;
          const live = await fetch(`http://127.0.0.1:${port}/health/live`);
          const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
          during = { live: live.status, ready: ready.status, body: (await ready.json()) as never };
          return connectDemoAccounts(app, sandbox);
        },
      });
    });
    after(async () => {
      await hub?.close();
      await db?.drop();
    });

    it('is live but answers 503 naming the demo until the demo accounts are connected', () => {
      assert.ok(during, 'the hub was asked while connecting the demo accounts');
      assert.equal(during.live, 200);
      assert.equal(during.ready, 503);
      assert.equal(during.body.code, 'NOT_READY', JSON.stringify(during.body));
      const startup = during.body.details?.find((d) => d.field === 'startup');
      assert.match(startup?.message ?? '', /demo/, JSON.stringify(during.body));
    });

    it('is ready once they are, with every demo account connected', async () => {
      const ready = await fetch(`${hub.url}/health/ready`);
      assert.equal(ready.status, 200, await ready.text());
      assert.ok(
        hub.banner.some((l) => /demo accounts connected: 24$/.test(l)),
        hub.banner.join('\n'),
      );
      assert.match(hub.banner.filter((l) => l.trim()).at(-1)!, /editor\.xixian/, 'the demo users come last');
    });
  });
}
