import { randomBytes } from 'node:crypto';
import { AppConfig } from '@tongfa/core';
import { DataSource } from 'typeorm';

/** Multi-row INSERTs of `rows` in chunks (one round trip per 1,000 rows), for seeding benchmarks. */
export async function insertMany(ds: DataSource, table: string, cols: string[], rows: unknown[][]): Promise<void> {
  const one = `(${cols.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await ds.query(
      `INSERT INTO \`${table}\` (${cols.map((c) => `\`${c}\``).join(',')}) VALUES ${chunk.map(() => one).join(',')}`,
      chunk.flat(),
    );
  }
}

/** The p-th percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * A hub's configuration for a bench on the database at `url`: production mode, silent, a Redis
 * prefix and secret key of its own, no demo, and a login limit no bench reaches.
 */
export function benchHubConfig(url: string, extra: Record<string, string> = {}): AppConfig {
  return AppConfig.fromEnv({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    REDIS_URL: process.env.TONGFA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    TONGFA_QUEUE_PREFIX: `b${randomBytes(4).toString('hex')}`,
    TONGFA_SECRET_KEY: randomBytes(32).toString('hex'),
    TONGFA_LOG_LEVEL: 'silent',
    TONGFA_LOGIN_RATE_LIMIT: '100000',
    TONGFA_DEMO: '0',
    ...extra,
  });
}
