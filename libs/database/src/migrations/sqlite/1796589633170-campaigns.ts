import { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1796589633170 implements MigrationInterface {
  name = 'Campaigns1796589633170';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "campaign" ("id" varchar(36) PRIMARY KEY NOT NULL, "title" varchar(200) NOT NULL, "instructions" varchar(2000) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "sourceManuscriptId" varchar(36) NOT NULL, "sourcePublicationId" varchar(36), "sourceVersionId" varchar(36) NOT NULL, "sourceTitle" varchar(200) NOT NULL, "sourceUrl" varchar(1000), "platforms" text NOT NULL, "deadline" datetime(6) NOT NULL, "reminders" text NOT NULL, "allowAdaptation" boolean NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL, "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL, "closedAt" datetime(6), "escalatedAt" datetime(6))`);
    await q.query(`CREATE INDEX "idx_campaign_status" ON "campaign" ("status", "deadline") `);
    await q.query(`CREATE INDEX "idx_campaign_unit_path" ON "campaign" ("unitPath", "createdAt") `);
    await q.query(`CREATE TABLE "campaign_assignment" ("id" varchar(36) PRIMARY KEY NOT NULL, "campaignId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "platform" varchar(64) NOT NULL, "accountId" varchar(36), "state" varchar(16) NOT NULL, "deadline" datetime(6) NOT NULL, "acceptedAt" datetime(6), "acceptedBy" varchar(36), "completedAt" datetime(6), "completion" varchar(16), "url" varchar(1000), "manuscriptId" varchar(36), "publicationId" varchar(36), "publishKey" varchar(36), "reminders" integer NOT NULL DEFAULT (0), "nextReminderAt" datetime(6), "exemptionReason" varchar(500), "exemptionStatus" varchar(16), "exemptionRequestedBy" varchar(36), "exemptionDecidedAt" datetime(6), "exemptionDecidedBy" varchar(36), "exemptionComment" varchar(500))`);
    await q.query(`CREATE INDEX "idx_assignment_reminder" ON "campaign_assignment" ("nextReminderAt") `);
    await q.query(`CREATE INDEX "idx_assignment_account" ON "campaign_assignment" ("accountId", "state") `);
    await q.query(`CREATE INDEX "idx_assignment_due" ON "campaign_assignment" ("state", "deadline") `);
    await q.query(`CREATE INDEX "idx_assignment_unit_path" ON "campaign_assignment" ("unitPath", "state", "deadline") `);
    await q.query(`CREATE INDEX "idx_assignment_campaign_platform" ON "campaign_assignment" ("campaignId", "platform", "state") `);
    await q.query(`CREATE INDEX "idx_assignment_campaign_state" ON "campaign_assignment" ("campaignId", "state", "completedAt") `);
    await q.query(`CREATE INDEX "idx_assignment_campaign_path" ON "campaign_assignment" ("campaignId", "unitPath", "state") `);
    await q.query(`CREATE UNIQUE INDEX "uq_assignment_target" ON "campaign_assignment" ("campaignId", "unitId", "platform") `);
    await q.query(`CREATE TABLE "campaign_assignment_reminder" ("id" varchar(36) PRIMARY KEY NOT NULL, "assignmentId" varchar(36) NOT NULL, "campaignId" varchar(36) NOT NULL, "kind" varchar(16) NOT NULL, "offsetMinutes" integer NOT NULL, "recipients" text NOT NULL, "sentAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_assignment_reminder_campaign" ON "campaign_assignment_reminder" ("campaignId") `);
    await q.query(`CREATE UNIQUE INDEX "uq_assignment_reminder" ON "campaign_assignment_reminder" ("assignmentId", "kind", "offsetMinutes") `);
    await q.query(`CREATE TABLE "campaign_trust" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "issuerUnitId" varchar(36) NOT NULL, "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_campaign_trust_path" ON "campaign_trust" ("unitPath") `);
    await q.query(`CREATE UNIQUE INDEX "uq_campaign_trust" ON "campaign_trust" ("unitId", "issuerUnitId") `);
    await q.query(`CREATE TABLE "campaign_relay" ("id" varchar(36) PRIMARY KEY NOT NULL, "campaignId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "manuscriptId" varchar(36) NOT NULL, "acceptedBy" varchar(36) NOT NULL, "trusted" boolean NOT NULL DEFAULT (0), "createdAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_campaign_relay_path" ON "campaign_relay" ("unitPath") `);
    await q.query(`CREATE UNIQUE INDEX "uq_campaign_relay_manuscript" ON "campaign_relay" ("manuscriptId") `);
    await q.query(`CREATE UNIQUE INDEX "uq_campaign_relay" ON "campaign_relay" ("campaignId", "unitId") `);
    await q.query(`CREATE TABLE "campaign_account_poll" ("accountId" varchar(36) PRIMARY KEY NOT NULL, "platform" varchar(64) NOT NULL, "nextPollAt" datetime(6), "lastPolledAt" datetime(6), "calls" integer NOT NULL DEFAULT (0), "lastError" varchar(500))`);
    await q.query(`CREATE INDEX "idx_account_poll_due" ON "campaign_account_poll" ("nextPollAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_account_poll_due"`);
    await q.query(`DROP TABLE "campaign_account_poll"`);
    await q.query(`DROP INDEX "uq_campaign_relay"`);
    await q.query(`DROP INDEX "uq_campaign_relay_manuscript"`);
    await q.query(`DROP INDEX "idx_campaign_relay_path"`);
    await q.query(`DROP TABLE "campaign_relay"`);
    await q.query(`DROP INDEX "uq_campaign_trust"`);
    await q.query(`DROP INDEX "idx_campaign_trust_path"`);
    await q.query(`DROP TABLE "campaign_trust"`);
    await q.query(`DROP INDEX "uq_assignment_reminder"`);
    await q.query(`DROP INDEX "idx_assignment_reminder_campaign"`);
    await q.query(`DROP TABLE "campaign_assignment_reminder"`);
    await q.query(`DROP INDEX "uq_assignment_target"`);
    await q.query(`DROP INDEX "idx_assignment_campaign_path"`);
    await q.query(`DROP INDEX "idx_assignment_campaign_state"`);
    await q.query(`DROP INDEX "idx_assignment_campaign_platform"`);
    await q.query(`DROP INDEX "idx_assignment_unit_path"`);
    await q.query(`DROP INDEX "idx_assignment_due"`);
    await q.query(`DROP INDEX "idx_assignment_account"`);
    await q.query(`DROP INDEX "idx_assignment_reminder"`);
    await q.query(`DROP TABLE "campaign_assignment"`);
    await q.query(`DROP INDEX "idx_campaign_unit_path"`);
    await q.query(`DROP INDEX "idx_campaign_status"`);
    await q.query(`DROP TABLE "campaign"`);
  }
}
