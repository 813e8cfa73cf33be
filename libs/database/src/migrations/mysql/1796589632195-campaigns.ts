import { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1796589632195 implements MigrationInterface {
  name = 'Campaigns1796589632195';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`campaign\` (\`id\` varchar(36) NOT NULL, \`title\` varchar(200) NOT NULL, \`instructions\` varchar(2000) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`sourceManuscriptId\` varchar(36) NOT NULL, \`sourcePublicationId\` varchar(36) NULL, \`sourceVersionId\` varchar(36) NOT NULL, \`sourceTitle\` varchar(200) NOT NULL, \`sourceUrl\` varchar(1000) NULL, \`platforms\` text NOT NULL, \`deadline\` datetime(6) NOT NULL, \`reminders\` text NOT NULL, \`allowAdaptation\` tinyint NOT NULL DEFAULT 0, \`status\` varchar(16) NOT NULL, \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL, \`closedAt\` datetime(6) NULL, \`escalatedAt\` datetime(6) NULL, INDEX \`idx_campaign_status\` (\`status\`, \`deadline\`), INDEX \`idx_campaign_unit_path\` (\`unitPath\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`campaign_assignment\` (\`id\` varchar(36) NOT NULL, \`campaignId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`platform\` varchar(64) NOT NULL, \`accountId\` varchar(36) NULL, \`state\` varchar(16) NOT NULL, \`deadline\` datetime(6) NOT NULL, \`acceptedAt\` datetime(6) NULL, \`acceptedBy\` varchar(36) NULL, \`completedAt\` datetime(6) NULL, \`completion\` varchar(16) NULL, \`url\` varchar(1000) NULL, \`manuscriptId\` varchar(36) NULL, \`publicationId\` varchar(36) NULL, \`publishKey\` varchar(36) NULL, \`reminders\` int NOT NULL DEFAULT '0', \`nextReminderAt\` datetime(6) NULL, \`exemptionReason\` varchar(500) NULL, \`exemptionStatus\` varchar(16) NULL, \`exemptionRequestedBy\` varchar(36) NULL, \`exemptionDecidedAt\` datetime(6) NULL, \`exemptionDecidedBy\` varchar(36) NULL, \`exemptionComment\` varchar(500) NULL, INDEX \`idx_assignment_reminder\` (\`nextReminderAt\`), INDEX \`idx_assignment_account\` (\`accountId\`, \`state\`), INDEX \`idx_assignment_due\` (\`state\`, \`deadline\`), INDEX \`idx_assignment_unit_path\` (\`unitPath\`, \`state\`, \`deadline\`), INDEX \`idx_assignment_campaign_platform\` (\`campaignId\`, \`platform\`, \`state\`), INDEX \`idx_assignment_campaign_state\` (\`campaignId\`, \`state\`, \`completedAt\`), INDEX \`idx_assignment_campaign_path\` (\`campaignId\`, \`unitPath\`, \`state\`), UNIQUE INDEX \`uq_assignment_target\` (\`campaignId\`, \`unitId\`, \`platform\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`campaign_assignment_reminder\` (\`id\` varchar(36) NOT NULL, \`assignmentId\` varchar(36) NOT NULL, \`campaignId\` varchar(36) NOT NULL, \`kind\` varchar(16) NOT NULL, \`offsetMinutes\` int NOT NULL, \`recipients\` text NOT NULL, \`sentAt\` datetime(6) NOT NULL, INDEX \`idx_assignment_reminder_campaign\` (\`campaignId\`), UNIQUE INDEX \`uq_assignment_reminder\` (\`assignmentId\`, \`kind\`, \`offsetMinutes\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`campaign_trust\` (\`id\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`issuerUnitId\` varchar(36) NOT NULL, \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL, INDEX \`idx_campaign_trust_path\` (\`unitPath\`), UNIQUE INDEX \`uq_campaign_trust\` (\`unitId\`, \`issuerUnitId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`campaign_relay\` (\`id\` varchar(36) NOT NULL, \`campaignId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`manuscriptId\` varchar(36) NOT NULL, \`acceptedBy\` varchar(36) NOT NULL, \`trusted\` tinyint NOT NULL DEFAULT 0, \`createdAt\` datetime(6) NOT NULL, INDEX \`idx_campaign_relay_path\` (\`unitPath\`), UNIQUE INDEX \`uq_campaign_relay_manuscript\` (\`manuscriptId\`), UNIQUE INDEX \`uq_campaign_relay\` (\`campaignId\`, \`unitId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`campaign_account_poll\` (\`accountId\` varchar(36) NOT NULL, \`platform\` varchar(64) NOT NULL, \`nextPollAt\` datetime(6) NULL, \`lastPolledAt\` datetime(6) NULL, \`calls\` int NOT NULL DEFAULT '0', \`lastError\` varchar(500) NULL, INDEX \`idx_account_poll_due\` (\`nextPollAt\`), PRIMARY KEY (\`accountId\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_account_poll_due\` ON \`campaign_account_poll\``);
    await q.query(`DROP TABLE \`campaign_account_poll\``);
    await q.query(`DROP INDEX \`uq_campaign_relay\` ON \`campaign_relay\``);
    await q.query(`DROP INDEX \`uq_campaign_relay_manuscript\` ON \`campaign_relay\``);
    await q.query(`DROP INDEX \`idx_campaign_relay_path\` ON \`campaign_relay\``);
    await q.query(`DROP TABLE \`campaign_relay\``);
    await q.query(`DROP INDEX \`uq_campaign_trust\` ON \`campaign_trust\``);
    await q.query(`DROP INDEX \`idx_campaign_trust_path\` ON \`campaign_trust\``);
    await q.query(`DROP TABLE \`campaign_trust\``);
    await q.query(`DROP INDEX \`uq_assignment_reminder\` ON \`campaign_assignment_reminder\``);
    await q.query(`DROP INDEX \`idx_assignment_reminder_campaign\` ON \`campaign_assignment_reminder\``);
    await q.query(`DROP TABLE \`campaign_assignment_reminder\``);
    await q.query(`DROP INDEX \`uq_assignment_target\` ON \`campaign_assignment\``);
    await q.query(`DROP INDEX \`idx_assignment_campaign_path\` ON \`campaign_assignment\``);
    await q.query(`DROP INDEX \`idx_assignment_campaign_state\` ON \`campaign_assignment\``);
    await q.query(`DROP INDEX \`idx_assignment_campaign_platform\` ON \`campaign_assignment\``);
    await q.query(`DROP INDEX \`idx_assignment_unit_path\` ON \`campaign_assignment\``);
    await q.query(`DROP INDEX \`idx_assignment_due\` ON \`campaign_assignment\``);
    await q.query(`DROP INDEX \`idx_assignment_account\` ON \`campaign_assignment\``);
    await q.query(`DROP INDEX \`idx_assignment_reminder\` ON \`campaign_assignment\``);
    await q.query(`DROP TABLE \`campaign_assignment\``);
    await q.query(`DROP INDEX \`idx_campaign_unit_path\` ON \`campaign\``);
    await q.query(`DROP INDEX \`idx_campaign_status\` ON \`campaign\``);
    await q.query(`DROP TABLE \`campaign\``);
  }
}
