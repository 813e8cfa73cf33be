import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes the inbox bench found missing: accounts by their platform id (webhook pushes), role holders by unit (assignment). */
export class LookupIndexes1796650000000 implements MigrationInterface {
  name = 'LookupIndexes1796650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX \`idx_role_assignment_unit\` ON \`role_assignment\` (\`unitId\`, \`role\`)`);
    await q.query(`CREATE INDEX \`idx_account_platform_id\` ON \`account\` (\`platform\`, \`platformAccountId\`)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_account_platform_id\` ON \`account\``);
    await q.query(`DROP INDEX \`idx_role_assignment_unit\` ON \`role_assignment\``);
  }
}
