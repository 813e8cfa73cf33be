// Regenerates the schema migration of each driver from the entities, against a scratch database
// (a fresh MariaDB schema and a temporary SQLite file), and writes it as TypeScript under
// libs/database/src/migrations/<driver>/. Usage: npm run migration:regen -- <Name>
import { writeFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { resolveDataSourceOptions } from '../data-source-options';

const root = resolve(__dirname, '../../../../..');
const name = process.argv[2] ?? 'Schema';
const mysqlBase = process.env.TONGFA_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

function esc(q: string): string {
  return q.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

async function generate(url: string, driver: 'mysql' | 'sqlite'): Promise<void> {
  const ds = new DataSource(await resolveDataSourceOptions(url));
  await ds.initialize();
  await ds.runMigrations();
  const sql = await ds.driver.createSchemaBuilder().log();
  await ds.destroy();
  if (sql.upQueries.length === 0) {
    process.stdout.write(`${driver}: schema up to date, nothing written\n`);
    return;
  }
  const dir = join(root, 'libs/database/src/migrations', driver);
  const ts = Date.now() + (driver === 'sqlite' ? 1 : 0);
  const cls = `${name}${ts}`;
  const up = sql.upQueries.map((q) => `    await q.query(\`${esc(q.query)}\`);`).join('\n');
  const down = sql.downQueries
    .reverse()
    .map((q) => `    await q.query(\`${esc(q.query)}\`);`)
    .join('\n');
  const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${cls} implements MigrationInterface {
  name = '${cls}';

  async up(q: QueryRunner): Promise<void> {
${up}
  }

  async down(q: QueryRunner): Promise<void> {
${down}
  }
}
`;
  const file = join(dir, `${ts}-${name.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}.ts`);
  writeFileSync(file, body);
  process.stdout.write(`${driver}: wrote ${file} (${sql.upQueries.length} statements; ${readdirSync(dir).length} migrations)\n`);
}

async function main(): Promise<void> {
  const db = `tongfa_gen_${process.pid}`;
  const admin = await createConnection(`${mysqlBase}/`);
  await admin.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  try {
    await generate(`${mysqlBase}/${db}`, 'mysql');
  } finally {
    await admin.query(`DROP DATABASE \`${db}\``);
    await admin.end();
  }
  const file = join(mkdtempSync(join(tmpdir(), 'tongfa-gen-')), 'gen.db');
  await generate(`sqlite:${file}`, 'sqlite');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
