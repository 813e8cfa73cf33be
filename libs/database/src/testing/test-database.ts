import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { DatabaseDriver } from '../data-source-options';

/** Drivers the integration and e2e suites run against; both unless narrowed by TONGFA_TEST_DRIVERS. */
export function testDrivers(): DatabaseDriver[] {
  const raw = process.env.TONGFA_TEST_DRIVERS ?? 'mysql,sqlite';
  return raw.split(',').map((s) => s.trim()) as DatabaseDriver[];
}

export function testMysqlBase(): string {
  return process.env.TONGFA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
}

export interface TestDatabase {
  driver: DatabaseDriver;
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file: created here, dropped by drop(). */
export async function createTestDatabase(driver: DatabaseDriver): Promise<TestDatabase> {
  if (driver === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tongfa-test-'));
    return {
      driver,
      url: `sqlite:${join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `tongfa_t_${randomBytes(6).toString('hex')}`;
  const base = testMysqlBase();
  const admin = await createConnection(`${base}/`);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    driver,
    url: `${base}/${name}`,
    drop: async () => {
      const c = await createConnection(`${base}/`);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
