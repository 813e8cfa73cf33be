import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue #16: publications carry a priority, targets and embedded jobs a queue rank (lower runs first). */
export class PublishingPriority1796658263443 implements MigrationInterface {
  name = 'PublishingPriority1796658263443';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_job_due"`);
    await q.query(`DROP INDEX "uq_job_key"`);
    await q.query(`CREATE TABLE "temporary_job_record" ("id" varchar(36) PRIMARY KEY NOT NULL, "queue" varchar(64) NOT NULL, "name" varchar(64) NOT NULL, "jobKey" varchar(191) NOT NULL, "payload" text NOT NULL, "state" varchar(16) NOT NULL, "runAt" datetime(6) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "maxAttempts" integer NOT NULL DEFAULT (3), "lastError" text, "lockedBy" varchar(64), "lockedUntil" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "priority" integer NOT NULL DEFAULT (0))`);
    await q.query(`INSERT INTO "temporary_job_record"("id", "queue", "name", "jobKey", "payload", "state", "runAt", "attempts", "maxAttempts", "lastError", "lockedBy", "lockedUntil", "createdAt", "updatedAt") SELECT "id", "queue", "name", "jobKey", "payload", "state", "runAt", "attempts", "maxAttempts", "lastError", "lockedBy", "lockedUntil", "createdAt", "updatedAt" FROM "job_record"`);
    await q.query(`DROP TABLE "job_record"`);
    await q.query(`ALTER TABLE "temporary_job_record" RENAME TO "job_record"`);
    await q.query(`CREATE INDEX "idx_job_due" ON "job_record" ("state", "runAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_job_key" ON "job_record" ("jobKey") `);
    await q.query(`DROP INDEX "idx_publication_manuscript"`);
    await q.query(`DROP INDEX "idx_publication_correction_of"`);
    await q.query(`DROP INDEX "uq_publication_idempotency"`);
    await q.query(`DROP INDEX "idx_publication_unit_path"`);
    await q.query(`CREATE TABLE "temporary_publication" ("id" varchar(36) PRIMARY KEY NOT NULL, "manuscriptId" varchar(36) NOT NULL, "versionId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "createdBy" varchar(36) NOT NULL, "idempotencyKey" varchar(128) NOT NULL, "status" varchar(16) NOT NULL, "scheduledAt" datetime(6), "retractReason" varchar(500), "retractedBy" varchar(36), "correctionOf" varchar(36), "correctionReason" varchar(500), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "requestHash" varchar(64), "priority" varchar(16) NOT NULL DEFAULT ('normal'))`);
    await q.query(`INSERT INTO "temporary_publication"("id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "correctionOf", "correctionReason", "createdAt", "updatedAt", "requestHash") SELECT "id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "correctionOf", "correctionReason", "createdAt", "updatedAt", "requestHash" FROM "publication"`);
    await q.query(`DROP TABLE "publication"`);
    await q.query(`ALTER TABLE "temporary_publication" RENAME TO "publication"`);
    await q.query(`CREATE INDEX "idx_publication_manuscript" ON "publication" ("manuscriptId") `);
    await q.query(`CREATE INDEX "idx_publication_correction_of" ON "publication" ("correctionOf") `);
    await q.query(`CREATE UNIQUE INDEX "uq_publication_idempotency" ON "publication" ("createdBy", "idempotencyKey") `);
    await q.query(`CREATE INDEX "idx_publication_unit_path" ON "publication" ("unitPath", "createdAt") `);
    await q.query(`DROP INDEX "idx_target_account_published"`);
    await q.query(`DROP INDEX "idx_target_due"`);
    await q.query(`DROP INDEX "uq_target_account"`);
    await q.query(`DROP INDEX "idx_target_replaces"`);
    await q.query(`DROP INDEX "idx_target_publication"`);
    await q.query(`CREATE TABLE "temporary_publication_target" ("id" varchar(36) PRIMARY KEY NOT NULL, "publicationId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "platform" varchar(64) NOT NULL, "state" varchar(16) NOT NULL, "rendition" text NOT NULL, "checkpoint" text, "remoteId" varchar(128), "url" varchar(1000), "attempts" integer NOT NULL DEFAULT (0), "lastErrorKind" varchar(32), "lastError" varchar(1000), "nextAttemptAt" datetime(6), "claimedBy" varchar(64), "claimedUntil" datetime(6), "mustCheckExisting" boolean NOT NULL DEFAULT (0), "dispatchedAt" datetime(6), "dispatches" integer NOT NULL DEFAULT (0), "publishedAt" datetime(6), "retractedAt" datetime(6), "correctionMode" varchar(16), "replacesTargetId" varchar(36), "supersededBy" varchar(36), "note" varchar(500), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "priority" integer NOT NULL DEFAULT (100001))`);
    await q.query(`INSERT INTO "temporary_publication_target"("id", "publicationId", "accountId", "platform", "state", "rendition", "checkpoint", "remoteId", "url", "attempts", "lastErrorKind", "lastError", "nextAttemptAt", "claimedBy", "claimedUntil", "mustCheckExisting", "dispatchedAt", "dispatches", "publishedAt", "retractedAt", "correctionMode", "replacesTargetId", "supersededBy", "note", "createdAt", "updatedAt") SELECT "id", "publicationId", "accountId", "platform", "state", "rendition", "checkpoint", "remoteId", "url", "attempts", "lastErrorKind", "lastError", "nextAttemptAt", "claimedBy", "claimedUntil", "mustCheckExisting", "dispatchedAt", "dispatches", "publishedAt", "retractedAt", "correctionMode", "replacesTargetId", "supersededBy", "note", "createdAt", "updatedAt" FROM "publication_target"`);
    await q.query(`DROP TABLE "publication_target"`);
    await q.query(`ALTER TABLE "temporary_publication_target" RENAME TO "publication_target"`);
    await q.query(`CREATE INDEX "idx_target_account_published" ON "publication_target" ("accountId", "publishedAt") `);
    await q.query(`CREATE INDEX "idx_target_due" ON "publication_target" ("state", "nextAttemptAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_target_account" ON "publication_target" ("publicationId", "accountId") `);
    await q.query(`CREATE INDEX "idx_target_replaces" ON "publication_target" ("replacesTargetId") `);
    await q.query(`CREATE INDEX "idx_target_publication" ON "publication_target" ("publicationId") `);
    await q.query(`CREATE INDEX "idx_job_due_rank" ON "job_record" ("state", "priority", "runAt") `);
    await q.query(`CREATE INDEX "idx_target_due_rank" ON "publication_target" ("state", "priority", "nextAttemptAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_target_due_rank"`);
    await q.query(`DROP INDEX "idx_job_due_rank"`);
    await q.query(`DROP INDEX "idx_target_publication"`);
    await q.query(`DROP INDEX "idx_target_replaces"`);
    await q.query(`DROP INDEX "uq_target_account"`);
    await q.query(`DROP INDEX "idx_target_due"`);
    await q.query(`DROP INDEX "idx_target_account_published"`);
    await q.query(`ALTER TABLE "publication_target" RENAME TO "temporary_publication_target"`);
    await q.query(`CREATE TABLE "publication_target" ("id" varchar(36) PRIMARY KEY NOT NULL, "publicationId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "platform" varchar(64) NOT NULL, "state" varchar(16) NOT NULL, "rendition" text NOT NULL, "checkpoint" text, "remoteId" varchar(128), "url" varchar(1000), "attempts" integer NOT NULL DEFAULT (0), "lastErrorKind" varchar(32), "lastError" varchar(1000), "nextAttemptAt" datetime(6), "claimedBy" varchar(64), "claimedUntil" datetime(6), "mustCheckExisting" boolean NOT NULL DEFAULT (0), "dispatchedAt" datetime(6), "dispatches" integer NOT NULL DEFAULT (0), "publishedAt" datetime(6), "retractedAt" datetime(6), "correctionMode" varchar(16), "replacesTargetId" varchar(36), "supersededBy" varchar(36), "note" varchar(500), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`INSERT INTO "publication_target"("id", "publicationId", "accountId", "platform", "state", "rendition", "checkpoint", "remoteId", "url", "attempts", "lastErrorKind", "lastError", "nextAttemptAt", "claimedBy", "claimedUntil", "mustCheckExisting", "dispatchedAt", "dispatches", "publishedAt", "retractedAt", "correctionMode", "replacesTargetId", "supersededBy", "note", "createdAt", "updatedAt") SELECT "id", "publicationId", "accountId", "platform", "state", "rendition", "checkpoint", "remoteId", "url", "attempts", "lastErrorKind", "lastError", "nextAttemptAt", "claimedBy", "claimedUntil", "mustCheckExisting", "dispatchedAt", "dispatches", "publishedAt", "retractedAt", "correctionMode", "replacesTargetId", "supersededBy", "note", "createdAt", "updatedAt" FROM "temporary_publication_target"`);
    await q.query(`DROP TABLE "temporary_publication_target"`);
    await q.query(`CREATE INDEX "idx_target_publication" ON "publication_target" ("publicationId") `);
    await q.query(`CREATE INDEX "idx_target_replaces" ON "publication_target" ("replacesTargetId") `);
    await q.query(`CREATE UNIQUE INDEX "uq_target_account" ON "publication_target" ("publicationId", "accountId") `);
    await q.query(`CREATE INDEX "idx_target_due" ON "publication_target" ("state", "nextAttemptAt") `);
    await q.query(`CREATE INDEX "idx_target_account_published" ON "publication_target" ("accountId", "publishedAt") `);
    await q.query(`DROP INDEX "idx_publication_unit_path"`);
    await q.query(`DROP INDEX "uq_publication_idempotency"`);
    await q.query(`DROP INDEX "idx_publication_correction_of"`);
    await q.query(`DROP INDEX "idx_publication_manuscript"`);
    await q.query(`ALTER TABLE "publication" RENAME TO "temporary_publication"`);
    await q.query(`CREATE TABLE "publication" ("id" varchar(36) PRIMARY KEY NOT NULL, "manuscriptId" varchar(36) NOT NULL, "versionId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "createdBy" varchar(36) NOT NULL, "idempotencyKey" varchar(128) NOT NULL, "status" varchar(16) NOT NULL, "scheduledAt" datetime(6), "retractReason" varchar(500), "retractedBy" varchar(36), "correctionOf" varchar(36), "correctionReason" varchar(500), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "requestHash" varchar(64))`);
    await q.query(`INSERT INTO "publication"("id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "correctionOf", "correctionReason", "createdAt", "updatedAt", "requestHash") SELECT "id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "correctionOf", "correctionReason", "createdAt", "updatedAt", "requestHash" FROM "temporary_publication"`);
    await q.query(`DROP TABLE "temporary_publication"`);
    await q.query(`CREATE INDEX "idx_publication_unit_path" ON "publication" ("unitPath", "createdAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_publication_idempotency" ON "publication" ("createdBy", "idempotencyKey") `);
    await q.query(`CREATE INDEX "idx_publication_correction_of" ON "publication" ("correctionOf") `);
    await q.query(`CREATE INDEX "idx_publication_manuscript" ON "publication" ("manuscriptId") `);
    await q.query(`DROP INDEX "uq_job_key"`);
    await q.query(`DROP INDEX "idx_job_due"`);
    await q.query(`ALTER TABLE "job_record" RENAME TO "temporary_job_record"`);
    await q.query(`CREATE TABLE "job_record" ("id" varchar(36) PRIMARY KEY NOT NULL, "queue" varchar(64) NOT NULL, "name" varchar(64) NOT NULL, "jobKey" varchar(191) NOT NULL, "payload" text NOT NULL, "state" varchar(16) NOT NULL, "runAt" datetime(6) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "maxAttempts" integer NOT NULL DEFAULT (3), "lastError" text, "lockedBy" varchar(64), "lockedUntil" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`INSERT INTO "job_record"("id", "queue", "name", "jobKey", "payload", "state", "runAt", "attempts", "maxAttempts", "lastError", "lockedBy", "lockedUntil", "createdAt", "updatedAt") SELECT "id", "queue", "name", "jobKey", "payload", "state", "runAt", "attempts", "maxAttempts", "lastError", "lockedBy", "lockedUntil", "createdAt", "updatedAt" FROM "temporary_job_record"`);
    await q.query(`DROP TABLE "temporary_job_record"`);
    await q.query(`CREATE UNIQUE INDEX "uq_job_key" ON "job_record" ("jobKey") `);
    await q.query(`CREATE INDEX "idx_job_due" ON "job_record" ("state", "runAt") `);
  }
}
