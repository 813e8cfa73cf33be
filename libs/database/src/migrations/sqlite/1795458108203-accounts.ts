import { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1795458108203 implements MigrationInterface {
  name = 'Accounts1795458108203';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "account" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "platform" varchar(64) NOT NULL, "name" varchar(100) NOT NULL, "platformAccountId" varchar(128), "profileName" varchar(100), "verifiedSubject" varchar(200), "avatarUrl" varchar(500), "followers" integer, "profileCheckedAt" datetime(6), "status" varchar(16) NOT NULL, "connection" varchar(16) NOT NULL DEFAULT ('none'), "exceptionReason" varchar(500), "namingIssues" text, "lastPostAt" datetime(6), "openedAt" datetime(6), "closedAt" datetime(6), "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_account_unit_platform" ON "account" ("unitId", "platform") `);
    await q.query(`CREATE INDEX "idx_account_unit_path" ON "account" ("unitPath", "platform") `);
    await q.query(`CREATE TABLE "account_approval" ("id" varchar(36) PRIMARY KEY NOT NULL, "accountId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "requestedBy" varchar(36) NOT NULL, "reason" varchar(500), "exception" boolean NOT NULL DEFAULT (0), "decision" varchar(16) NOT NULL, "decidedBy" varchar(36), "decidedAt" datetime(6), "comment" varchar(500), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_account_approval_account" ON "account_approval" ("accountId") `);
    await q.query(`CREATE INDEX "idx_account_approval_unit_path" ON "account_approval" ("unitPath") `);
    await q.query(`CREATE TABLE "filing" ("id" varchar(36) PRIMARY KEY NOT NULL, "accountId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "kind" varchar(16) NOT NULL, "details" text NOT NULL, "effectiveAt" datetime(6) NOT NULL, "dueAt" datetime(6) NOT NULL, "filedAt" datetime(6), "late" boolean NOT NULL DEFAULT (0), "filedBy" varchar(36), "reference" varchar(200), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_filing_account" ON "filing" ("accountId") `);
    await q.query(`CREATE INDEX "idx_filing_unit_path_due" ON "filing" ("unitPath", "dueAt") `);
    await q.query(`CREATE TABLE "account_credential" ("accountId" varchar(36) PRIMARY KEY NOT NULL, "keyId" varchar(32) NOT NULL, "algorithm" varchar(32) NOT NULL, "sealed" text NOT NULL, "expiresAt" datetime(6), "refreshAt" datetime(6), "refreshFailures" integer NOT NULL DEFAULT (0), "version" integer NOT NULL DEFAULT (1), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "account_credential"`);
    await q.query(`DROP INDEX "idx_filing_unit_path_due"`);
    await q.query(`DROP INDEX "idx_filing_account"`);
    await q.query(`DROP TABLE "filing"`);
    await q.query(`DROP INDEX "idx_account_approval_unit_path"`);
    await q.query(`DROP INDEX "idx_account_approval_account"`);
    await q.query(`DROP TABLE "account_approval"`);
    await q.query(`DROP INDEX "idx_account_unit_path"`);
    await q.query(`DROP INDEX "idx_account_unit_platform"`);
    await q.query(`DROP TABLE "account"`);
  }
}
