import { MigrationInterface, QueryRunner } from 'typeorm';

export class InboxModerationListing1796645198906 implements MigrationInterface {
  name = 'InboxModerationListing1796645198906';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`inbox_moderation\` (\`id\` varchar(36) NOT NULL, \`threadId\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`postRemoteId\` varchar(200) NOT NULL, \`commentId\` varchar(200) NOT NULL, \`action\` varchar(8) NOT NULL, \`reason\` varchar(500) NOT NULL, \`state\` varchar(16) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`nextAttemptAt\` datetime(6) NULL, \`lastError\` varchar(1000) NULL, \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL, \`doneAt\` datetime(6) NULL, INDEX \`idx_inbox_moderation_thread\` (\`threadId\`, \`createdAt\`), INDEX \`idx_inbox_moderation_due\` (\`state\`, \`nextAttemptAt\`), UNIQUE INDEX \`uq_inbox_moderation_comment\` (\`accountId\`, \`commentId\`, \`action\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`inbox_listing\` (\`accountId\` varchar(36) NOT NULL, \`platform\` varchar(64) NOT NULL, \`nextDueAt\` datetime(6) NULL, \`lastListedAt\` datetime(6) NULL, \`calls\` int NOT NULL DEFAULT '0', \`lastError\` varchar(500) NULL, INDEX \`idx_inbox_listing_due\` (\`nextDueAt\`), PRIMARY KEY (\`accountId\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_inbox_listing_due\` ON \`inbox_listing\``);
    await q.query(`DROP TABLE \`inbox_listing\``);
    await q.query(`DROP INDEX \`uq_inbox_moderation_comment\` ON \`inbox_moderation\``);
    await q.query(`DROP INDEX \`idx_inbox_moderation_due\` ON \`inbox_moderation\``);
    await q.query(`DROP INDEX \`idx_inbox_moderation_thread\` ON \`inbox_moderation\``);
    await q.query(`DROP TABLE \`inbox_moderation\``);
  }
}
