import { join, resolve, dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ALL_ENTITIES } from './entities';
import { UnitPathSubscriber } from './unit-paths';
import { ListTotalsSubscriber } from './list-totals';
import { CountingQueryLogger, queryCount } from './query-count';

export type DatabaseDriver = 'mysql' | 'sqlite';

export function driverOf(url: string): DatabaseDriver {
  return url.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

/**
 * One set of entities, two drivers: mysql2 for MySQL 8 / MariaDB (the distributed mode) and
 * better-sqlite3 for the embedded default. Each driver has its own migrations folder.
 */
export function dataSourceOptions(url: string, extra: { logging?: boolean; flavour?: 'mysql' | 'mariadb' } = {}): DataSourceOptions {
  const driver = driverOf(url);
  const migrations = [join(__dirname, 'migrations', driver, '*.js')];
  if (driver === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: file,
      entities: ALL_ENTITIES,
      subscribers: [UnitPathSubscriber, ListTotalsSubscriber],
      migrations,
      migrationsRun: false,
      synchronize: false,
      logging: extra.logging ?? false,
      ...(queryCount.enabled ? { logging: ['query' as const], logger: new CountingQueryLogger() } : {}),
      // WAL lets readers proceed while the single writer commits; busy_timeout makes a second
      // connection wait instead of failing with SQLITE_BUSY.
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
        // Lets `path LIKE 'prefix%'` use the index on a BINARY-collated column, as MySQL does.
        db.pragma('case_sensitive_like = ON');
      },
    } as DataSourceOptions;
  }
  const u = new URL(url);
  return {
    // TypeORM reads MariaDB's information_schema differently from MySQL's (column defaults, NULL);
    // the right type keeps the schema diff empty on both.
    type: extra.flavour ?? (u.protocol === 'mariadb:' ? 'mariadb' : 'mysql'),
    host: u.hostname,
    port: Number(u.port || 3306),
    username: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    entities: ALL_ENTITIES,
    subscribers: [UnitPathSubscriber, ListTotalsSubscriber],
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: extra.logging ?? false,
    ...(queryCount.enabled ? { logging: ['query' as const], logger: new CountingQueryLogger() } : {}),
    extra: { connectionLimit: Number(u.searchParams.get('connectionLimit') ?? 20) },
  };
}

/** Asks the server whether it is MariaDB or MySQL, so the right TypeORM dialect is used. */
export async function detectFlavour(url: string): Promise<'mysql' | 'mariadb' | undefined> {
  if (driverOf(url) !== 'mysql') return undefined;
  const { createConnection } = await import('mysql2/promise');
  const u = new URL(url);
  const c = await createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  });
  try {
    const [rows] = await c.query('SELECT VERSION() AS v');
    return /mariadb/i.test(String((rows as { v: string }[])[0]?.v)) ? 'mariadb' : 'mysql';
  } finally {
    await c.end();
  }
}

export async function resolveDataSourceOptions(url: string, extra: { logging?: boolean } = {}): Promise<DataSourceOptions> {
  return dataSourceOptions(url, { ...extra, flavour: await detectFlavour(url) });
}

export async function createDataSource(url: string): Promise<DataSource> {
  return new DataSource(await resolveDataSourceOptions(url));
}
