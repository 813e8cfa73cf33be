import { MigrationInterface, QueryRunner } from 'typeorm';

export class InboxModerationListing1796645201538 implements MigrationInterface {
  name = 'InboxModerationListing1796645201538';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "inbox_moderation" ("id" varchar(36) PRIMARY KEY NOT NULL, "threadId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "postRemoteId" varchar(200) NOT NULL, "commentId" varchar(200) NOT NULL, "action" varchar(8) NOT NULL, "reason" varchar(500) NOT NULL, "state" varchar(16) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "nextAttemptAt" datetime(6), "lastError" varchar(1000), "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL, "doneAt" datetime(6))`);
    await q.query(`CREATE INDEX "idx_inbox_moderation_thread" ON "inbox_moderation" ("threadId", "createdAt") `);
    await q.query(`CREATE INDEX "idx_inbox_moderation_due" ON "inbox_moderation" ("state", "nextAttemptAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_inbox_moderation_comment" ON "inbox_moderation" ("accountId", "commentId", "action") `);
    await q.query(`CREATE TABLE "inbox_listing" ("accountId" varchar(36) PRIMARY KEY NOT NULL, "platform" varchar(64) NOT NULL, "nextDueAt" datetime(6), "lastListedAt" datetime(6), "calls" integer NOT NULL DEFAULT (0), "lastError" varchar(500))`);
    await q.query(`CREATE INDEX "idx_inbox_listing_due" ON "inbox_listing" ("nextDueAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_inbox_listing_due"`);
    await q.query(`DROP TABLE "inbox_listing"`);
    await q.query(`DROP INDEX "uq_inbox_moderation_comment"`);
    await q.query(`DROP INDEX "idx_inbox_moderation_due"`);
    await q.query(`DROP INDEX "idx_inbox_moderation_thread"`);
    await q.query(`DROP TABLE "inbox_moderation"`);
  }
}
