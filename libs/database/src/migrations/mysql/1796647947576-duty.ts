import { MigrationInterface, QueryRunner } from 'typeorm';

export class Duty1796647947576 implements MigrationInterface {
  name = 'Duty1796647947576';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`duty_schedule\` (\`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`layers\` text NOT NULL, \`policy\` text NOT NULL, \`updatedAt\` datetime(6) NOT NULL, \`updatedBy\` varchar(36) NOT NULL, INDEX \`idx_duty_schedule_path\` (\`unitPath\`), PRIMARY KEY (\`unitId\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`duty_override\` (\`id\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`userId\` varchar(36) NOT NULL, \`startsAt\` datetime(6) NOT NULL, \`endsAt\` datetime(6) NOT NULL, \`note\` varchar(200) NOT NULL DEFAULT '', \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL, INDEX \`idx_duty_override_unit\` (\`unitId\`, \`endsAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`duty_page\` (\`id\` varchar(36) NOT NULL, \`alertId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`state\` varchar(16) NOT NULL, \`step\` int NOT NULL, \`round\` int NOT NULL, \`nextAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL, UNIQUE INDEX \`uq_duty_page_alert\` (\`alertId\`), INDEX \`idx_duty_page_due\` (\`state\`, \`nextAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`duty_notice\` (\`id\` varchar(36) NOT NULL, \`alertId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`userId\` varchar(36) NOT NULL, \`step\` int NOT NULL, \`round\` int NOT NULL, \`reason\` varchar(16) NOT NULL, \`notifiedAt\` datetime(6) NOT NULL, INDEX \`idx_duty_notice_alert\` (\`alertId\`), INDEX \`idx_duty_notice_unit\` (\`unitId\`, \`notifiedAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_duty_notice_unit\` ON \`duty_notice\``);
    await q.query(`DROP INDEX \`idx_duty_notice_alert\` ON \`duty_notice\``);
    await q.query(`DROP TABLE \`duty_notice\``);
    await q.query(`DROP INDEX \`idx_duty_page_due\` ON \`duty_page\``);
    await q.query(`DROP INDEX \`uq_duty_page_alert\` ON \`duty_page\``);
    await q.query(`DROP TABLE \`duty_page\``);
    await q.query(`DROP INDEX \`idx_duty_override_unit\` ON \`duty_override\``);
    await q.query(`DROP TABLE \`duty_override\``);
    await q.query(`DROP INDEX \`idx_duty_schedule_path\` ON \`duty_schedule\``);
    await q.query(`DROP TABLE \`duty_schedule\``);
  }
}
