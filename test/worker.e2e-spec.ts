import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { testDrivers } from '@tongfa/database';
import { BullJobQueue, JobQueue } from '@tongfa/jobs';
import { startTestHub, TestHub } from './support/test-hub';
import { pollUntil } from './support/poll';

const WORKER = resolve(__dirname, '../apps/worker/src/main.js');

/**
 * The distributed shape: a hub that only enqueues, and the compiled worker process
 * (`npm run start:worker`) that consumes from Bull on Redis and stops cleanly on SIGTERM.
 */
describe('worker process (MariaDB + Redis)', { skip: !testDrivers().includes('mysql') }, () => {
  let hub: TestHub;
  let worker: ChildProcess;
  let stdout = '';
  let stderr = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  before(async () => {
    hub = await startTestHub('mysql', {}, { consumeJobs: false });
    const env = hub.config.env;
    worker = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: env.DATABASE_URL,
        REDIS_URL: env.REDIS_URL!,
        TONGFA_QUEUE_PREFIX: env.TONGFA_QUEUE_PREFIX,
        TONGFA_SECRET_KEY: env.TONGFA_SECRET_KEY!,
        TONGFA_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    worker.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    exited = new Promise((done) => worker.on('exit', (code, signal) => done({ code, signal })));
  });
  after(async () => {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await hub.close();
  });

  const job = (id: string) => (hub.app.get(JobQueue) as BullJobQueue).queues.get('maintenance')!.getJob(id);

  it('starts and says which queues it consumes', async () => {
    await pollUntil(() => stdout.includes('worker ready'), { timeoutMs: 15_000, what: `worker ready; stderr: ${stderr}` });
    const ready = stdout.split('\n').find((l) => l.includes('worker ready'))!;
    const line = JSON.parse(ready) as { service: string; msg: string };
    assert.equal(line.service, 'worker');
    assert.match(line.msg, /maintenance.*Bull on Redis/);
  });

  it('consumes a system.ping the hub enqueued', async () => {
    assert.equal(hub.app.get(JobQueue).kind, 'bull');
    const marker = randomUUID();
    await hub.app.get(JobQueue).add('system.ping', { marker }, { jobId: marker });
    const done = await pollUntil(async () => (await (await job(marker))?.isCompleted()) ?? false, {
      timeoutMs: 15_000,
      what: 'ping completed by the worker',
    });
    assert.equal(done, true);
  });

  it('runs the audit retention job the hub scheduled at start-up', async () => {
    const id = `audit.purge:${new Date().toISOString().slice(0, 10)}`;
    await pollUntil(async () => (await (await job(id))?.isCompleted()) ?? false, { timeoutMs: 15_000, what: 'audit.purge completed' });
  });

  it('retries a failing job and completes it on a later attempt', async () => {
    const marker = randomUUID();
    await hub.app.get(JobQueue).add('system.ping', { marker, failTimes: 1 }, { jobId: marker });
    await pollUntil(async () => (await (await job(marker))?.isCompleted()) ?? false, { timeoutMs: 15_000, what: 'retried ping' });
    // Bull counts the failed attempts: one failure, then the success.
    assert.equal((await job(marker))!.attemptsMade, 1);
  });

  it('exits with 0 on SIGTERM, without errors', async () => {
    worker.kill('SIGTERM');
    const deadline = new Promise<never>((_, fail) =>
      setTimeout(() => fail(new Error('worker still running 10 s after SIGTERM')), 10_000).unref(),
    );
    const end = await Promise.race([exited, deadline]);
    assert.deepEqual(end, { code: 0, signal: null });
    assert.equal(stderr, '');
    assert.match(stdout, /SIGTERM: finishing jobs in hand/);
  });
});
