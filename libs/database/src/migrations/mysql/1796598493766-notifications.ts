import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1796598493766 implements MigrationInterface {
  name = 'Notifications1796598493766';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`notification\` (\`id\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`kind\` varchar(32) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`titleZh\` varchar(200) NOT NULL, \`titleEn\` varchar(200) NOT NULL, \`bodyZh\` varchar(1000) NOT NULL, \`bodyEn\` varchar(1000) NOT NULL, \`resourceType\` varchar(32) NOT NULL, \`resourceId\` varchar(36) NOT NULL, \`dedupeKey\` varchar(191) CHARACTER SET "ascii" NOT NULL, \`createdAt\` datetime(6) NOT NULL, \`readAt\` datetime(6) NULL, UNIQUE INDEX \`uq_notification_dedupe\` (\`dedupeKey\`), INDEX \`idx_notification_unread\` (\`userId\`, \`readAt\`), INDEX \`idx_notification_user\` (\`userId\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`ALTER TABLE \`duty_alert\` ADD \`resolvedAt\` datetime(6) NULL`);
    await q.query(`ALTER TABLE \`duty_alert\` ADD \`resolvedBy\` varchar(36) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`duty_alert\` DROP COLUMN \`resolvedBy\``);
    await q.query(`ALTER TABLE \`duty_alert\` DROP COLUMN \`resolvedAt\``);
    await q.query(`DROP INDEX \`idx_notification_user\` ON \`notification\``);
    await q.query(`DROP INDEX \`idx_notification_unread\` ON \`notification\``);
    await q.query(`DROP INDEX \`uq_notification_dedupe\` ON \`notification\``);
    await q.query(`DROP TABLE \`notification\``);
  }
}
