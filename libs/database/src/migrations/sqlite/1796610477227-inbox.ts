import { MigrationInterface, QueryRunner } from 'typeorm';

export class Inbox1796610477227 implements MigrationInterface {
  name = 'Inbox1796610477227';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "inbox_thread" ("id" varchar(36) PRIMARY KEY NOT NULL, "accountId" varchar(36) NOT NULL, "platform" varchar(64) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "kind" varchar(16) NOT NULL, "threadKey" varchar(300) NOT NULL, "postRemoteId" varchar(200), "rootCommentId" varchar(200), "citizenId" varchar(200), "citizenName" varchar(200) NOT NULL, "state" varchar(16) NOT NULL, "assigneeId" varchar(36), "preview" varchar(500) NOT NULL, "sensitive" boolean NOT NULL DEFAULT (0), "firstIncomingAt" datetime(6) NOT NULL, "lastIncomingAt" datetime(6) NOT NULL, "firstResponseDueAt" datetime(6), "remindAt" datetime(6), "resolutionDueAt" datetime(6), "replyDeadlineAt" datetime(6), "firstRespondedAt" datetime(6), "firstResponseMinutes" integer, "respondedInTime" boolean, "closedAt" datetime(6), "remindedAt" datetime(6), "escalatedAt" datetime(6), "createdAt" datetime(6) NOT NULL, "updatedAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_inbox_thread_assignee" ON "inbox_thread" ("assigneeId", "state") `);
    await q.query(`CREATE INDEX "idx_inbox_thread_remind" ON "inbox_thread" ("state", "remindAt") `);
    await q.query(`CREATE INDEX "idx_inbox_thread_due" ON "inbox_thread" ("state", "firstResponseDueAt") `);
    await q.query(`CREATE INDEX "idx_inbox_thread_unit_path" ON "inbox_thread" ("unitPath", "state", "lastIncomingAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_inbox_thread_key" ON "inbox_thread" ("accountId", "threadKey") `);
    await q.query(`CREATE TABLE "inbox_item" ("id" varchar(36) PRIMARY KEY NOT NULL, "threadId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "platformItemId" varchar(200) NOT NULL, "direction" varchar(8) NOT NULL, "kind" varchar(16) NOT NULL, "parentId" varchar(200), "author" varchar(200) NOT NULL, "authorId" varchar(200), "text" text NOT NULL, "createdAt" datetime(6) NOT NULL, "receivedAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_inbox_item_thread" ON "inbox_item" ("threadId", "createdAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_inbox_item_platform" ON "inbox_item" ("accountId", "platformItemId") `);
    await q.query(`CREATE TABLE "inbox_reply" ("id" varchar(36) PRIMARY KEY NOT NULL, "threadId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "inReplyTo" varchar(200), "text" text NOT NULL, "state" varchar(16) NOT NULL, "idempotencyKey" varchar(64) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "nextAttemptAt" datetime(6), "remoteId" varchar(200), "lastError" varchar(1000), "findings" text NOT NULL, "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL, "reviewedBy" varchar(36), "reviewedAt" datetime(6), "sentAt" datetime(6))`);
    await q.query(`CREATE INDEX "idx_inbox_reply_unit_path" ON "inbox_reply" ("unitPath", "state") `);
    await q.query(`CREATE INDEX "idx_inbox_reply_thread" ON "inbox_reply" ("threadId", "createdAt") `);
    await q.query(`CREATE INDEX "idx_inbox_reply_due" ON "inbox_reply" ("state", "nextAttemptAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_inbox_reply_key" ON "inbox_reply" ("idempotencyKey") `);
    await q.query(`CREATE TABLE "inbox_note" ("id" varchar(36) PRIMARY KEY NOT NULL, "threadId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "authorId" varchar(36) NOT NULL, "authorName" varchar(100) NOT NULL, "text" varchar(2000) NOT NULL, "createdAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_inbox_note_unit_path" ON "inbox_note" ("unitPath") `);
    await q.query(`CREATE INDEX "idx_inbox_note_thread" ON "inbox_note" ("threadId", "createdAt") `);
    await q.query(`CREATE TABLE "inbox_poll" ("id" varchar(36) PRIMARY KEY NOT NULL, "accountId" varchar(36) NOT NULL, "platform" varchar(64) NOT NULL, "postRemoteId" varchar(200) NOT NULL, "postedAt" datetime(6) NOT NULL, "nextDueAt" datetime(6), "lastPolledAt" datetime(6), "seenUntil" datetime(6), "calls" integer NOT NULL DEFAULT (0), "lastError" varchar(500))`);
    await q.query(`CREATE INDEX "idx_inbox_poll_due" ON "inbox_poll" ("nextDueAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_inbox_poll_post" ON "inbox_poll" ("accountId", "postRemoteId") `);
    await q.query(`CREATE TABLE "inbox_poll_budget" ("accountId" varchar(36) NOT NULL, "day" varchar(10) NOT NULL, "calls" integer NOT NULL DEFAULT (0), PRIMARY KEY ("accountId", "day"))`);
    await q.query(`CREATE TABLE "inbox_unit_setting" ("unitId" varchar(36) PRIMARY KEY NOT NULL, "unitPath" varchar(400) NOT NULL, "workingHours" text NOT NULL, "firstResponseMinutes" integer NOT NULL, "resolutionMinutes" integer NOT NULL, "remindBeforeMinutes" integer NOT NULL, "reviewReplies" boolean NOT NULL DEFAULT (0), "ownerUserId" varchar(36), "lastAssigneeId" varchar(36))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "inbox_unit_setting"`);
    await q.query(`DROP TABLE "inbox_poll_budget"`);
    await q.query(`DROP INDEX "uq_inbox_poll_post"`);
    await q.query(`DROP INDEX "idx_inbox_poll_due"`);
    await q.query(`DROP TABLE "inbox_poll"`);
    await q.query(`DROP INDEX "idx_inbox_note_thread"`);
    await q.query(`DROP INDEX "idx_inbox_note_unit_path"`);
    await q.query(`DROP TABLE "inbox_note"`);
    await q.query(`DROP INDEX "uq_inbox_reply_key"`);
    await q.query(`DROP INDEX "idx_inbox_reply_due"`);
    await q.query(`DROP INDEX "idx_inbox_reply_thread"`);
    await q.query(`DROP INDEX "idx_inbox_reply_unit_path"`);
    await q.query(`DROP TABLE "inbox_reply"`);
    await q.query(`DROP INDEX "uq_inbox_item_platform"`);
    await q.query(`DROP INDEX "idx_inbox_item_thread"`);
    await q.query(`DROP TABLE "inbox_item"`);
    await q.query(`DROP INDEX "uq_inbox_thread_key"`);
    await q.query(`DROP INDEX "idx_inbox_thread_unit_path"`);
    await q.query(`DROP INDEX "idx_inbox_thread_due"`);
    await q.query(`DROP INDEX "idx_inbox_thread_remind"`);
    await q.query(`DROP INDEX "idx_inbox_thread_assignee"`);
    await q.query(`DROP TABLE "inbox_thread"`);
  }
}
