import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795457819586 implements MigrationInterface {
  name = 'Init1795457819586';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "unit" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "level" varchar(16) NOT NULL, "parentId" varchar(36), "path" varchar(400) NOT NULL, "depth" integer NOT NULL, "creditCode" varchar(18) NOT NULL, "regionCode" varchar(6) NOT NULL, "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_unit_path" ON "unit" ("path") `);
    await q.query(`CREATE UNIQUE INDEX "uq_unit_credit_code" ON "unit" ("creditCode") `);
    await q.query(`CREATE TABLE "user" ("id" varchar(36) PRIMARY KEY NOT NULL, "username" varchar(64) NOT NULL, "displayName" varchar(64) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "status" varchar(16) NOT NULL DEFAULT ('active'), "passwordHash" varchar(255), "mustChangePassword" boolean NOT NULL DEFAULT (0), "passwordChangedAt" datetime(6), "failedLoginCount" integer NOT NULL DEFAULT (0), "lockedUntil" datetime(6), "totpSecret" varchar(255), "totpEnabled" boolean NOT NULL DEFAULT (0), "oidcIssuer" varchar(255), "oidcSubject" varchar(255), "lastLoginAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE UNIQUE INDEX "uq_user_username" ON "user" ("username") `);
    await q.query(`CREATE INDEX "idx_user_unit_path" ON "user" ("unitPath", "id") `);
    await q.query(`CREATE TABLE "role_assignment" ("id" varchar(36) PRIMARY KEY NOT NULL, "userId" varchar(36) NOT NULL, "role" varchar(32) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "level" integer, "grantedBy" varchar(36), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_role_assignment_user" ON "role_assignment" ("userId") `);
    await q.query(`CREATE INDEX "idx_role_assignment_unit_path" ON "role_assignment" ("unitPath") `);
    await q.query(`CREATE UNIQUE INDEX "uq_role_assignment" ON "role_assignment" ("userId", "role", "unitId") `);
    await q.query(`CREATE TABLE "session" ("id" varchar(36) PRIMARY KEY NOT NULL, "userId" varchar(36) NOT NULL, "tokenHash" varchar(64) NOT NULL, "generation" integer NOT NULL DEFAULT (1), "method" varchar(32) NOT NULL, "restriction" varchar(32), "lastSeenAt" datetime(6) NOT NULL, "expiresAt" datetime(6) NOT NULL, "revokedAt" datetime(6), "revokedReason" varchar(32), "ip" varchar(64), "userAgent" varchar(255), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_session_user" ON "session" ("userId") `);
    await q.query(`CREATE TABLE "api_key" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "ownerId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "secretHash" varchar(64) NOT NULL, "grants" text NOT NULL, "expiresAt" datetime(6), "lastUsedAt" datetime(6), "revokedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_api_key_owner" ON "api_key" ("ownerId") `);
    await q.query(`CREATE INDEX "idx_api_key_unit_path" ON "api_key" ("unitPath") `);
    await q.query(`CREATE TABLE "password_history" ("id" varchar(36) PRIMARY KEY NOT NULL, "userId" varchar(36) NOT NULL, "passwordHash" varchar(255) NOT NULL, "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_password_history_user" ON "password_history" ("userId") `);
    await q.query(`CREATE TABLE "recovery_code" ("id" varchar(36) PRIMARY KEY NOT NULL, "userId" varchar(36) NOT NULL, "codeHash" varchar(64) NOT NULL, "usedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_recovery_code_user" ON "recovery_code" ("userId") `);
    await q.query(`CREATE TABLE "audit_entry" ("seq" bigint PRIMARY KEY NOT NULL, "at" datetime(6) NOT NULL, "actorId" varchar(36), "actorName" varchar(64), "unitId" varchar(36), "unitPath" varchar(400), "action" varchar(64) NOT NULL, "targetType" varchar(32), "targetId" varchar(64), "result" varchar(16) NOT NULL, "before" text, "after" text, "ip" varchar(64), "requestId" varchar(64), "prevHash" varchar(64) NOT NULL, "hash" varchar(64) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_audit_action" ON "audit_entry" ("action") `);
    await q.query(`CREATE INDEX "idx_audit_at" ON "audit_entry" ("at") `);
    await q.query(`CREATE INDEX "idx_audit_unit_path" ON "audit_entry" ("unitPath", "seq") `);
    await q.query(`CREATE TABLE "audit_head" ("id" integer PRIMARY KEY NOT NULL, "lastSeq" bigint NOT NULL, "lastHash" varchar(64) NOT NULL, "anchorSeq" bigint NOT NULL, "anchorHash" varchar(64) NOT NULL)`);
    await q.query(`CREATE TABLE "job_record" ("id" varchar(36) PRIMARY KEY NOT NULL, "queue" varchar(64) NOT NULL, "name" varchar(64) NOT NULL, "jobKey" varchar(191) NOT NULL, "payload" text NOT NULL, "state" varchar(16) NOT NULL, "runAt" datetime(6) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "maxAttempts" integer NOT NULL DEFAULT (3), "lastError" text, "lockedBy" varchar(64), "lockedUntil" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE UNIQUE INDEX "uq_job_key" ON "job_record" ("jobKey") `);
    await q.query(`CREATE INDEX "idx_job_due" ON "job_record" ("state", "runAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_job_due"`);
    await q.query(`DROP INDEX "uq_job_key"`);
    await q.query(`DROP TABLE "job_record"`);
    await q.query(`DROP TABLE "audit_head"`);
    await q.query(`DROP INDEX "idx_audit_unit_path"`);
    await q.query(`DROP INDEX "idx_audit_at"`);
    await q.query(`DROP INDEX "idx_audit_action"`);
    await q.query(`DROP TABLE "audit_entry"`);
    await q.query(`DROP INDEX "idx_recovery_code_user"`);
    await q.query(`DROP TABLE "recovery_code"`);
    await q.query(`DROP INDEX "idx_password_history_user"`);
    await q.query(`DROP TABLE "password_history"`);
    await q.query(`DROP INDEX "idx_api_key_unit_path"`);
    await q.query(`DROP INDEX "idx_api_key_owner"`);
    await q.query(`DROP TABLE "api_key"`);
    await q.query(`DROP INDEX "idx_session_user"`);
    await q.query(`DROP TABLE "session"`);
    await q.query(`DROP INDEX "uq_role_assignment"`);
    await q.query(`DROP INDEX "idx_role_assignment_unit_path"`);
    await q.query(`DROP INDEX "idx_role_assignment_user"`);
    await q.query(`DROP TABLE "role_assignment"`);
    await q.query(`DROP INDEX "idx_user_unit_path"`);
    await q.query(`DROP INDEX "uq_user_username"`);
    await q.query(`DROP TABLE "user"`);
    await q.query(`DROP INDEX "uq_unit_credit_code"`);
    await q.query(`DROP INDEX "idx_unit_path"`);
    await q.query(`DROP TABLE "unit"`);
  }
}
