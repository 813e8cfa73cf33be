import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationBots1796600104507 implements MigrationInterface {
  name = 'NotificationBots1796600104507';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`notification_channel\` (\`id\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`provider\` varchar(16) NOT NULL, \`name\` varchar(64) NOT NULL, \`kinds\` text NOT NULL, \`enabled\` tinyint NOT NULL DEFAULT 1, \`keyId\` varchar(64) NOT NULL, \`algorithm\` varchar(32) NOT NULL, \`sealed\` text NOT NULL, \`secretTail\` varchar(8) NOT NULL, \`signed\` tinyint NOT NULL DEFAULT 0, \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_notification_channel_unit\` (\`unitId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`notification_delivery\` (\`id\` varchar(36) NOT NULL, \`channelId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`kind\` varchar(32) NOT NULL, \`title\` varchar(200) NOT NULL, \`text\` varchar(2000) NOT NULL, \`dedupeKey\` varchar(191) CHARACTER SET "ascii" NOT NULL, \`state\` varchar(16) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`nextAttemptAt\` datetime(6) NULL, \`claimedAt\` datetime(6) NULL, \`lastError\` varchar(300) NULL, \`sentAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL, UNIQUE INDEX \`uq_notification_delivery_dedupe\` (\`dedupeKey\`), INDEX \`idx_notification_delivery_channel\` (\`channelId\`, \`createdAt\`), INDEX \`idx_notification_delivery_due\` (\`state\`, \`nextAttemptAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_notification_delivery_due\` ON \`notification_delivery\``);
    await q.query(`DROP INDEX \`idx_notification_delivery_channel\` ON \`notification_delivery\``);
    await q.query(`DROP INDEX \`uq_notification_delivery_dedupe\` ON \`notification_delivery\``);
    await q.query(`DROP TABLE \`notification_delivery\``);
    await q.query(`DROP INDEX \`idx_notification_channel_unit\` ON \`notification_channel\``);
    await q.query(`DROP TABLE \`notification_channel\``);
  }
}
