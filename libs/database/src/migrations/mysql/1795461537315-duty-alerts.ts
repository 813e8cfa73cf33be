import { MigrationInterface, QueryRunner } from 'typeorm';

export class DutyAlerts1795461537315 implements MigrationInterface {
  name = 'DutyAlerts1795461537315';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`duty_alert\` (\`id\` varchar(36) NOT NULL, \`kind\` varchar(32) NOT NULL, \`severity\` varchar(16) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`titleZh\` varchar(200) NOT NULL, \`titleEn\` varchar(200) NOT NULL, \`messageZh\` varchar(1000) NOT NULL, \`messageEn\` varchar(1000) NOT NULL, \`resourceType\` varchar(32) NOT NULL, \`resourceId\` varchar(36) NOT NULL, \`dedupeKey\` varchar(191) NOT NULL, \`createdAt\` datetime(6) NOT NULL, \`acknowledgedAt\` datetime(6) NULL, \`acknowledgedBy\` varchar(36) NULL, UNIQUE INDEX \`uq_duty_alert_dedupe\` (\`dedupeKey\`), INDEX \`idx_duty_alert_open\` (\`acknowledgedAt\`, \`unitPath\`), INDEX \`idx_duty_alert_unit_path\` (\`unitPath\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`ALTER TABLE \`manuscript\` ADD \`escalatedSteps\` text NULL`);
    await q.query(`ALTER TABLE \`manuscript\` ADD \`escalationDueAt\` datetime(6) NULL`);
    await q.query(`CREATE INDEX \`idx_manuscript_escalation_due\` ON \`manuscript\` (\`escalationDueAt\`)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_manuscript_escalation_due\` ON \`manuscript\``);
    await q.query(`ALTER TABLE \`manuscript\` DROP COLUMN \`escalationDueAt\``);
    await q.query(`ALTER TABLE \`manuscript\` DROP COLUMN \`escalatedSteps\``);
    await q.query(`DROP INDEX \`idx_duty_alert_unit_path\` ON \`duty_alert\``);
    await q.query(`DROP INDEX \`idx_duty_alert_open\` ON \`duty_alert\``);
    await q.query(`DROP INDEX \`uq_duty_alert_dedupe\` ON \`duty_alert\``);
    await q.query(`DROP TABLE \`duty_alert\``);
  }
}
