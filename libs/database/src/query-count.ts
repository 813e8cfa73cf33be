import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Statements this process sent to the database, counted only when `TONGFA_COUNT_QUERIES=1` (the
 * fan-out benchmark prints round trips per target from it). Off by default: nothing is wrapped.
 */
export const queryCount = { enabled: process.env.TONGFA_COUNT_QUERIES === '1', n: 0 };

/** A TypeORM logger that counts statements and logs nothing (errors still surface as exceptions). */
export class CountingQueryLogger implements TypeOrmLogger {
  logQuery(): void {
    queryCount.n++;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
