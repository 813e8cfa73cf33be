import { MigrationInterface, QueryRunner } from 'typeorm';

export class Inbox1796610475484 implements MigrationInterface {
  name = 'Inbox1796610475484';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`inbox_thread\` (\`id\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`platform\` varchar(64) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`kind\` varchar(16) NOT NULL, \`threadKey\` varchar(300) NOT NULL, \`postRemoteId\` varchar(200) NULL, \`rootCommentId\` varchar(200) NULL, \`citizenId\` varchar(200) NULL, \`citizenName\` varchar(200) NOT NULL, \`state\` varchar(16) NOT NULL, \`assigneeId\` varchar(36) NULL, \`preview\` varchar(500) NOT NULL, \`sensitive\` tinyint NOT NULL DEFAULT 0, \`firstIncomingAt\` datetime(6) NOT NULL, \`lastIncomingAt\` datetime(6) NOT NULL, \`firstResponseDueAt\` datetime(6) NULL, \`remindAt\` datetime(6) NULL, \`resolutionDueAt\` datetime(6) NULL, \`replyDeadlineAt\` datetime(6) NULL, \`firstRespondedAt\` datetime(6) NULL, \`firstResponseMinutes\` int NULL, \`respondedInTime\` tinyint NULL, \`closedAt\` datetime(6) NULL, \`remindedAt\` datetime(6) NULL, \`escalatedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL, \`updatedAt\` datetime(6) NOT NULL, INDEX \`idx_inbox_thread_assignee\` (\`assigneeId\`, \`state\`), INDEX \`idx_inbox_thread_remind\` (\`state\`, \`remindAt\`), INDEX \`idx_inbox_thread_due\` (\`state\`, \`firstResponseDueAt\`), INDEX \`idx_inbox_thread_unit_path\` (\`unitPath\`, \`state\`, \`lastIncomingAt\`), UNIQUE INDEX \`uq_inbox_thread_key\` (\`accountId\`, \`threadKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`inbox_item\` (\`id\` varchar(36) NOT NULL, \`threadId\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`platformItemId\` varchar(200) NOT NULL, \`direction\` varchar(8) NOT NULL, \`kind\` varchar(16) NOT NULL, \`parentId\` varchar(200) NULL, \`author\` varchar(200) NOT NULL, \`authorId\` varchar(200) NULL, \`text\` text NOT NULL, \`createdAt\` datetime(6) NOT NULL, \`receivedAt\` datetime(6) NOT NULL, INDEX \`idx_inbox_item_thread\` (\`threadId\`, \`createdAt\`), UNIQUE INDEX \`uq_inbox_item_platform\` (\`accountId\`, \`platformItemId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`inbox_reply\` (\`id\` varchar(36) NOT NULL, \`threadId\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`inReplyTo\` varchar(200) NULL, \`text\` text NOT NULL, \`state\` varchar(16) NOT NULL, \`idempotencyKey\` varchar(64) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`nextAttemptAt\` datetime(6) NULL, \`remoteId\` varchar(200) NULL, \`lastError\` varchar(1000) NULL, \`findings\` text NOT NULL, \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL, \`reviewedBy\` varchar(36) NULL, \`reviewedAt\` datetime(6) NULL, \`sentAt\` datetime(6) NULL, INDEX \`idx_inbox_reply_unit_path\` (\`unitPath\`, \`state\`), INDEX \`idx_inbox_reply_thread\` (\`threadId\`, \`createdAt\`), INDEX \`idx_inbox_reply_due\` (\`state\`, \`nextAttemptAt\`), UNIQUE INDEX \`uq_inbox_reply_key\` (\`idempotencyKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`inbox_note\` (\`id\` varchar(36) NOT NULL, \`threadId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`authorId\` varchar(36) NOT NULL, \`authorName\` varchar(100) NOT NULL, \`text\` varchar(2000) NOT NULL, \`createdAt\` datetime(6) NOT NULL, INDEX \`idx_inbox_note_unit_path\` (\`unitPath\`), INDEX \`idx_inbox_note_thread\` (\`threadId\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`inbox_poll\` (\`id\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`platform\` varchar(64) NOT NULL, \`postRemoteId\` varchar(200) NOT NULL, \`postedAt\` datetime(6) NOT NULL, \`nextDueAt\` datetime(6) NULL, \`lastPolledAt\` datetime(6) NULL, \`seenUntil\` datetime(6) NULL, \`calls\` int NOT NULL DEFAULT '0', \`lastError\` varchar(500) NULL, INDEX \`idx_inbox_poll_due\` (\`nextDueAt\`), UNIQUE INDEX \`uq_inbox_poll_post\` (\`accountId\`, \`postRemoteId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`inbox_poll_budget\` (\`accountId\` varchar(36) NOT NULL, \`day\` varchar(10) NOT NULL, \`calls\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`accountId\`, \`day\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`inbox_unit_setting\` (\`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`workingHours\` text NOT NULL, \`firstResponseMinutes\` int NOT NULL, \`resolutionMinutes\` int NOT NULL, \`remindBeforeMinutes\` int NOT NULL, \`reviewReplies\` tinyint NOT NULL DEFAULT 0, \`ownerUserId\` varchar(36) NULL, \`lastAssigneeId\` varchar(36) NULL, PRIMARY KEY (\`unitId\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE \`inbox_unit_setting\``);
    await q.query(`DROP TABLE \`inbox_poll_budget\``);
    await q.query(`DROP INDEX \`uq_inbox_poll_post\` ON \`inbox_poll\``);
    await q.query(`DROP INDEX \`idx_inbox_poll_due\` ON \`inbox_poll\``);
    await q.query(`DROP TABLE \`inbox_poll\``);
    await q.query(`DROP INDEX \`idx_inbox_note_thread\` ON \`inbox_note\``);
    await q.query(`DROP INDEX \`idx_inbox_note_unit_path\` ON \`inbox_note\``);
    await q.query(`DROP TABLE \`inbox_note\``);
    await q.query(`DROP INDEX \`uq_inbox_reply_key\` ON \`inbox_reply\``);
    await q.query(`DROP INDEX \`idx_inbox_reply_due\` ON \`inbox_reply\``);
    await q.query(`DROP INDEX \`idx_inbox_reply_thread\` ON \`inbox_reply\``);
    await q.query(`DROP INDEX \`idx_inbox_reply_unit_path\` ON \`inbox_reply\``);
    await q.query(`DROP TABLE \`inbox_reply\``);
    await q.query(`DROP INDEX \`uq_inbox_item_platform\` ON \`inbox_item\``);
    await q.query(`DROP INDEX \`idx_inbox_item_thread\` ON \`inbox_item\``);
    await q.query(`DROP TABLE \`inbox_item\``);
    await q.query(`DROP INDEX \`uq_inbox_thread_key\` ON \`inbox_thread\``);
    await q.query(`DROP INDEX \`idx_inbox_thread_unit_path\` ON \`inbox_thread\``);
    await q.query(`DROP INDEX \`idx_inbox_thread_due\` ON \`inbox_thread\``);
    await q.query(`DROP INDEX \`idx_inbox_thread_remind\` ON \`inbox_thread\``);
    await q.query(`DROP INDEX \`idx_inbox_thread_assignee\` ON \`inbox_thread\``);
    await q.query(`DROP TABLE \`inbox_thread\``);
  }
}
