export * from './data-source-options';
export * from './database.module';
export * from './testing/test-database';
export * from './scope';
export * from './list-totals';
export * from './unit-paths';
export * from './query-count';
export * from './bulk-insert';
