import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { JobQueue } from '@tongfa/jobs';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { pollUntil } from './support/poll';
import { MaintenanceJobs } from '@tongfa/audit';

/** The queue port behaves the same on Bull (MariaDB + Redis) and on database rows (SQLite). */
for (const driver of testDrivers()) {
  describe(`job queue (${driver === 'mysql' ? 'Bull on Redis' : 'embedded rows'})`, () => {
    let hub: TestHub;
    let queue: JobQueue;

    before(async () => {
      hub = await startTestHub(driver);
      queue = hub.app.get(JobQueue);
    });
    after(() => hub.close());

    it('uses the adapter the configuration selects', () => {
      assert.equal(queue.kind, driver === 'mysql' ? 'bull' : 'embedded');
    });

    it('runs a job through its @JobHandler', async () => {
      const marker = randomUUID();
      await queue.add('system.ping', { marker });
      await pollUntil(() => MaintenanceJobs.pings.get(marker) === 1, { what: 'ping handled' });
    });

    it('runs a job added twice with the same job id once', async () => {
      const marker = randomUUID();
      await queue.add('system.ping', { marker }, { jobId: `ping:${marker}` });
      await queue.add('system.ping', { marker }, { jobId: `ping:${marker}` });
      await pollUntil(() => MaintenanceJobs.pings.get(marker) === 1, { what: 'ping handled' });
      // A later, distinct job proves the queue moved past both adds.
      const next = randomUUID();
      await queue.add('system.ping', { marker: next });
      await pollUntil(() => MaintenanceJobs.pings.get(next) === 1, { what: 'next ping handled' });
      assert.equal(MaintenanceJobs.pings.get(marker), 1);
    });

    it('retries a failing job with backoff until it succeeds', async () => {
      const marker = randomUUID();
      await queue.add('system.ping', { marker, failTimes: 2 }, { attempts: 3 });
      if (driver === 'sqlite') {
        // The embedded backoff uses the injected clock: move it past each delay.
        await pollUntil(() => (MaintenanceJobs.pings.get(marker) ?? 0) >= 1);
        hub.clock.advance(1500);
        await pollUntil(() => (MaintenanceJobs.pings.get(marker) ?? 0) >= 2);
        hub.clock.advance(2500);
      }
      await pollUntil(() => MaintenanceJobs.pings.get(marker) === 3, { timeoutMs: 15_000, what: 'third attempt' });
    });

    it('reports queue depth per queue', async () => {
      const depth = await queue.depth();
      assert.equal(typeof depth, 'object');
      for (const v of Object.values(depth)) assert.ok(Number.isInteger(v) && v >= 0);
    });
  });
}
