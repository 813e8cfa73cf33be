export * from './job-record.entity';
