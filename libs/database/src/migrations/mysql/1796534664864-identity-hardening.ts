import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityHardening1796534664864 implements MigrationInterface {
  name = 'IdentityHardening1796534664864';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`system_flag\` (\`name\` varchar(64) NOT NULL, \`setAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`name\`)) ENGINE=InnoDB`);
    // An installation that already has a security admin has had one: the bootstrap grant power is over.
    await q.query(`INSERT INTO \`system_flag\` (\`name\`) SELECT 'security_admin_granted' FROM DUAL WHERE EXISTS (SELECT 1 FROM \`role_assignment\` WHERE \`role\` = 'security_admin')`);
    await q.query(`ALTER TABLE \`user\` ADD \`totpLastStep\` int NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`user\` DROP COLUMN \`totpLastStep\``);
    await q.query(`DROP TABLE \`system_flag\``);
  }
}
