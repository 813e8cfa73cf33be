import { MigrationInterface, QueryRunner } from 'typeorm';

export class PluginHost1795458630001 implements MigrationInterface {
  name = 'PluginHost1795458630001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "oauth_state" ("id" varchar(36) PRIMARY KEY NOT NULL, "stateHash" varchar(64) NOT NULL, "accountId" varchar(36) NOT NULL, "userId" varchar(36) NOT NULL, "platform" varchar(64) NOT NULL, "redirectUri" varchar(500) NOT NULL, "expiresAt" datetime(6) NOT NULL, "usedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE UNIQUE INDEX "idx_oauth_state_hash" ON "oauth_state" ("stateHash") `);
    await q.query(`CREATE TABLE "platform_app_credential" ("platform" varchar(64) PRIMARY KEY NOT NULL, "keyId" varchar(32) NOT NULL, "algorithm" varchar(32) NOT NULL, "sealed" text NOT NULL, "version" integer NOT NULL DEFAULT (1), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE TABLE "account_alert" ("id" varchar(36) PRIMARY KEY NOT NULL, "accountId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "kind" varchar(32) NOT NULL, "message" varchar(500) NOT NULL, "resolvedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_account_alert_account" ON "account_alert" ("accountId") `);
    await q.query(`CREATE INDEX "idx_account_alert_unit_path" ON "account_alert" ("unitPath", "resolvedAt") `);
    await q.query(`DROP INDEX "idx_account_unit_path"`);
    await q.query(`DROP INDEX "idx_account_unit_platform"`);
    await q.query(`CREATE TABLE "temporary_account" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "platform" varchar(64) NOT NULL, "name" varchar(100) NOT NULL, "platformAccountId" varchar(128), "profileName" varchar(100), "verifiedSubject" varchar(200), "avatarUrl" varchar(500), "followers" integer, "profileCheckedAt" datetime(6), "status" varchar(16) NOT NULL, "connection" varchar(16) NOT NULL DEFAULT ('none'), "exceptionReason" varchar(500), "namingIssues" text, "lastPostAt" datetime(6), "openedAt" datetime(6), "closedAt" datetime(6), "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "endpoints" text, "sandbox" boolean NOT NULL DEFAULT (0))`);
    await q.query(`INSERT INTO "temporary_account"("id", "unitId", "unitPath", "platform", "name", "platformAccountId", "profileName", "verifiedSubject", "avatarUrl", "followers", "profileCheckedAt", "status", "connection", "exceptionReason", "namingIssues", "lastPostAt", "openedAt", "closedAt", "createdBy", "createdAt", "updatedAt") SELECT "id", "unitId", "unitPath", "platform", "name", "platformAccountId", "profileName", "verifiedSubject", "avatarUrl", "followers", "profileCheckedAt", "status", "connection", "exceptionReason", "namingIssues", "lastPostAt", "openedAt", "closedAt", "createdBy", "createdAt", "updatedAt" FROM "account"`);
    await q.query(`DROP TABLE "account"`);
    await q.query(`ALTER TABLE "temporary_account" RENAME TO "account"`);
    await q.query(`CREATE INDEX "idx_account_unit_path" ON "account" ("unitPath", "platform") `);
    await q.query(`CREATE INDEX "idx_account_unit_platform" ON "account" ("unitId", "platform") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_account_unit_platform"`);
    await q.query(`DROP INDEX "idx_account_unit_path"`);
    await q.query(`ALTER TABLE "account" RENAME TO "temporary_account"`);
    await q.query(`CREATE TABLE "account" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "platform" varchar(64) NOT NULL, "name" varchar(100) NOT NULL, "platformAccountId" varchar(128), "profileName" varchar(100), "verifiedSubject" varchar(200), "avatarUrl" varchar(500), "followers" integer, "profileCheckedAt" datetime(6), "status" varchar(16) NOT NULL, "connection" varchar(16) NOT NULL DEFAULT ('none'), "exceptionReason" varchar(500), "namingIssues" text, "lastPostAt" datetime(6), "openedAt" datetime(6), "closedAt" datetime(6), "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`INSERT INTO "account"("id", "unitId", "unitPath", "platform", "name", "platformAccountId", "profileName", "verifiedSubject", "avatarUrl", "followers", "profileCheckedAt", "status", "connection", "exceptionReason", "namingIssues", "lastPostAt", "openedAt", "closedAt", "createdBy", "createdAt", "updatedAt") SELECT "id", "unitId", "unitPath", "platform", "name", "platformAccountId", "profileName", "verifiedSubject", "avatarUrl", "followers", "profileCheckedAt", "status", "connection", "exceptionReason", "namingIssues", "lastPostAt", "openedAt", "closedAt", "createdBy", "createdAt", "updatedAt" FROM "temporary_account"`);
    await q.query(`DROP TABLE "temporary_account"`);
    await q.query(`CREATE INDEX "idx_account_unit_platform" ON "account" ("unitId", "platform") `);
    await q.query(`CREATE INDEX "idx_account_unit_path" ON "account" ("unitPath", "platform") `);
    await q.query(`DROP INDEX "idx_account_alert_unit_path"`);
    await q.query(`DROP INDEX "idx_account_alert_account"`);
    await q.query(`DROP TABLE "account_alert"`);
    await q.query(`DROP TABLE "platform_app_credential"`);
    await q.query(`DROP INDEX "idx_oauth_state_hash"`);
    await q.query(`DROP TABLE "oauth_state"`);
  }
}
