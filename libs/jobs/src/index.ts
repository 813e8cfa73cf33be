export * from './entities';
export * from './job-catalogue';
export * from './job-queue';
export * from './job-handler.decorator';
export * from './job-registry';
export * from './embedded-job-queue';
export * from './bull-job-queue';
export * from './jobs.module';
