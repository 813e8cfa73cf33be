import { MigrationInterface, QueryRunner } from 'typeorm';

export class InboxAccountPoll1796672485979 implements MigrationInterface {
  name = 'InboxAccountPoll1796672485979';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "inbox_account_poll" ("accountId" varchar(36) PRIMARY KEY NOT NULL, "platform" varchar(64) NOT NULL, "mark" varchar(200), "readCursor" varchar(200), "readMark" varchar(200), "nextDueAt" datetime(6), "lastPolledAt" datetime(6), "calls" integer NOT NULL DEFAULT (0), "lastError" varchar(500))`);
    await q.query(`CREATE INDEX "idx_inbox_account_poll_due" ON "inbox_account_poll" ("nextDueAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_inbox_account_poll_due"`);
    await q.query(`DROP TABLE "inbox_account_poll"`);
  }
}
