import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@tongfa/core';
import { JobQueue, QUEUE_NAMES } from '@tongfa/jobs';
import { queryCount } from '@tongfa/database';
import { WorkerModule } from './worker.module';

/**
 * `npm run start:worker`: consumes the job queues (Bull on REDIS_URL; without it, the embedded
 * job rows of the same database). Any number of workers may run; SIGTERM or SIGINT lets the jobs
 * in hand finish, closes the queues and the database, then exits 0.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv(process.env);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(78); // EX_CONFIG
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing jobs in hand and shutting down`, 'Worker');
    // A second signal, or a job that never ends, must not keep the process alive forever.
    setTimeout(() => process.exit(1), 30_000).unref();
    app.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error(`shutdown failed: ${e instanceof Error ? e.message : String(e)}`, 'Worker');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The fan-out benchmark reads the statements sent so far (TONGFA_COUNT_QUERIES=1) on SIGUSR2.
  if (queryCount.enabled) process.on('SIGUSR2', () => process.stdout.write(`sql-queries ${queryCount.n}\n`));

  const mode = app.get(JobQueue).kind === 'bull' ? 'Bull on Redis' : 'embedded job rows';
  logger.log(`worker ready: consuming ${QUEUE_NAMES.join(', ')} (${mode})`, 'Worker');
}

main().catch((e: unknown) => {
  process.stderr.write(`worker failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
