import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Materialized paths (ids, '-' and '/') in ASCII with a binary collation. Subtree queries are
 * `path LIKE '/root/…/%'` range scans; under utf8mb4_unicode_ci every index entry took 4 bytes a
 * character and a Unicode comparison, and counting a province's 50,000 users took ~50–70 ms
 * instead of ~10 ms (bench/users-list.bench.ts). Written by hand: TypeORM does not diff
 * charsets. A table that does not exist yet is skipped, because a regenerated init migration
 * creates these columns from the entities, which declare charset ascii.
 */
export class PathCharset1795459000000 implements MigrationInterface {
  name = 'PathCharset1795459000000';

  private readonly columns: [table: string, column: string, nullable: boolean][] = [
    ['unit', 'path', false],
    ['user', 'unitPath', false],
    ['role_assignment', 'unitPath', false],
    ['api_key', 'unitPath', false],
    ['audit_entry', 'unitPath', true],
  ];

  async up(q: QueryRunner): Promise<void> {
    for (const [table, column, nullable] of this.columns) {
      if (!(await q.hasTable(table))) continue;
      await q.query(
        `ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(400) CHARACTER SET ascii COLLATE ascii_bin ${nullable ? 'NULL' : 'NOT NULL'}`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, column, nullable] of this.columns) {
      if (!(await q.hasTable(table))) continue;
      await q.query(
        `ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ${nullable ? 'NULL' : 'NOT NULL'}`,
      );
    }
  }
}
