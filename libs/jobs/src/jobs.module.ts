import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, Clock } from '@tongfa/core';
import { JobQueue } from './job-queue';
import { PUBLISH_BATCH_SIZE } from './job-catalogue';
import { JobRegistry } from './job-registry';
import { EmbeddedJobQueue } from './embedded-job-queue';
import { BullJobQueue } from './bull-job-queue';

/**
 * Chooses the queue adapter from the configuration: Bull when REDIS_URL is set, database rows
 * otherwise. `consume` says whether this process runs handlers (worker, or the embedded process).
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(opts: { consume: boolean }): DynamicModule {
    return {
      module: JobsModule,
      imports: [DiscoveryModule],
      providers: [
        JobRegistry,
        {
          provide: JobQueue,
          inject: [AppConfig, JobRegistry, getDataSourceToken(), Clock],
          useFactory: (config: AppConfig, registry: JobRegistry, ds: DataSource, clock: Clock) =>
            config.env.REDIS_URL
              ? new BullJobQueue(config.env.REDIS_URL, config.env.TONGFA_QUEUE_PREFIX, opts.consume, registry, {
                  // A publish mostly waits on a platform: many run at once per process.
                  'publication.publish': config.env.TONGFA_PUBLISH_CONCURRENCY,
                  // A round holds up to PUBLISH_BATCH_SIZE calls; twice the rounds the concurrency
                  // fills, so the next round's claim overlaps the last calls of the one before.
                  'publication.publish-batch': Math.max(2, Math.ceil((2 * config.env.TONGFA_PUBLISH_CONCURRENCY) / PUBLISH_BATCH_SIZE)),
                  // A round's status checks, one job (see Dispatcher.dispatchPolls): as many as rounds.
                  'publication.poll-batch': Math.max(2, Math.ceil((2 * config.env.TONGFA_PUBLISH_CONCURRENCY) / PUBLISH_BATCH_SIZE)),
                })
              : new EmbeddedJobQueue(ds, registry, clock, opts.consume),
        },
      ],
      exports: [JobQueue, JobRegistry],
    };
  }
}
