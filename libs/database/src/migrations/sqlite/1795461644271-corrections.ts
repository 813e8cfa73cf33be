import { MigrationInterface, QueryRunner } from 'typeorm';

export class Corrections1795461644271 implements MigrationInterface {
  name = 'Corrections1795461644271';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_publication_unit_path"`);
    await q.query(`DROP INDEX "uq_publication_idempotency"`);
    await q.query(`DROP INDEX "idx_publication_manuscript"`);
    await q.query(`CREATE TABLE "temporary_publication" ("id" varchar(36) PRIMARY KEY NOT NULL, "manuscriptId" varchar(36) NOT NULL, "versionId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "createdBy" varchar(36) NOT NULL, "idempotencyKey" varchar(128) NOT NULL, "status" varchar(16) NOT NULL, "scheduledAt" datetime(6), "retractReason" varchar(500), "retractedBy" varchar(36), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "correctionOf" varchar(36), "correctionReason" varchar(500))`);
    await q.query(`INSERT INTO "temporary_publication"("id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "createdAt", "updatedAt") SELECT "id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "createdAt", "updatedAt" FROM "publication"`);
    await q.query(`DROP TABLE "publication"`);
    await q.query(`ALTER TABLE "temporary_publication" RENAME TO "publication"`);
    await q.query(`CREATE INDEX "idx_publication_unit_path" ON "publication" ("unitPath", "createdAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_publication_idempotency" ON "publication" ("createdBy", "idempotencyKey") `);
    await q.query(`CREATE INDEX "idx_publication_manuscript" ON "publication" ("manuscriptId") `);
    await q.query(`DROP INDEX "idx_target_due"`);
    await q.query(`DROP INDEX "uq_target_account"`);
    await q.query(`DROP INDEX "idx_target_publication"`);
    await q.query(`CREATE TABLE "temporary_publication_target" ("id" varchar(36) PRIMARY KEY NOT NULL, "publicationId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "platform" varchar(64) NOT NULL, "state" varchar(16) NOT NULL, "rendition" text NOT NULL, "checkpoint" text, "remoteId" varchar(128), "url" varchar(1000), "attempts" integer NOT NULL DEFAULT (0), "lastErrorKind" varchar(32), "lastError" varchar(1000), "nextAttemptAt" datetime(6), "claimedBy" varchar(64), "claimedUntil" datetime(6), "mustCheckExisting" boolean NOT NULL DEFAULT (0), "dispatchedAt" datetime(6), "dispatches" integer NOT NULL DEFAULT (0), "publishedAt" datetime(6), "retractedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "correctionMode" varchar(16), "replacesTargetId" varchar(36), "supersededBy" varchar(36), "note" varchar(500))`);
    await q.query(`INSERT INTO "temporary_publication_target"("id", "publicationId", "accountId", "platform", "state", "rendition", "checkpoint", "remoteId", "url", "attempts", "lastErrorKind", "lastError", "nextAttemptAt", "claimedBy", "claimedUntil", "mustCheckExisting", "dispatchedAt", "dispatches", "publishedAt", "retractedAt", "createdAt", "updatedAt") SELECT "id", "publicationId", "accountId", "platform", "state", "rendition", "checkpoint", "remoteId", "url", "attempts", "lastErrorKind", "lastError", "nextAttemptAt", "claimedBy", "claimedUntil", "mustCheckExisting", "dispatchedAt", "dispatches", "publishedAt", "retractedAt", "createdAt", "updatedAt" FROM "publication_target"`);
    await q.query(`DROP TABLE "publication_target"`);
    await q.query(`ALTER TABLE "temporary_publication_target" RENAME TO "publication_target"`);
    await q.query(`CREATE INDEX "idx_target_due" ON "publication_target" ("state", "nextAttemptAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_target_account" ON "publication_target" ("publicationId", "accountId") `);
    await q.query(`CREATE INDEX "idx_target_publication" ON "publication_target" ("publicationId") `);
    await q.query(`CREATE INDEX "idx_publication_correction_of" ON "publication" ("correctionOf") `);
    await q.query(`CREATE INDEX "idx_target_replaces" ON "publication_target" ("replacesTargetId") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_target_replaces"`);
    await q.query(`DROP INDEX "idx_publication_correction_of"`);
    await q.query(`DROP INDEX "idx_target_publication"`);
    await q.query(`DROP INDEX "uq_target_account"`);
    await q.query(`DROP INDEX "idx_target_due"`);
    await q.query(`ALTER TABLE "publication_target" RENAME TO "temporary_publication_target"`);
    await q.query(`CREATE TABLE "publication_target" ("id" varchar(36) PRIMARY KEY NOT NULL, "publicationId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "platform" varchar(64) NOT NULL, "state" varchar(16) NOT NULL, "rendition" text NOT NULL, "checkpoint" text, "remoteId" varchar(128), "url" varchar(1000), "attempts" integer NOT NULL DEFAULT (0), "lastErrorKind" varchar(32), "lastError" varchar(1000), "nextAttemptAt" datetime(6), "claimedBy" varchar(64), "claimedUntil" datetime(6), "mustCheckExisting" boolean NOT NULL DEFAULT (0), "dispatchedAt" datetime(6), "dispatches" integer NOT NULL DEFAULT (0), "publishedAt" datetime(6), "retractedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`INSERT INTO "publication_target"("id", "publicationId", "accountId", "platform", "state", "rendition", "checkpoint", "remoteId", "url", "attempts", "lastErrorKind", "lastError", "nextAttemptAt", "claimedBy", "claimedUntil", "mustCheckExisting", "dispatchedAt", "dispatches", "publishedAt", "retractedAt", "createdAt", "updatedAt") SELECT "id", "publicationId", "accountId", "platform", "state", "rendition", "checkpoint", "remoteId", "url", "attempts", "lastErrorKind", "lastError", "nextAttemptAt", "claimedBy", "claimedUntil", "mustCheckExisting", "dispatchedAt", "dispatches", "publishedAt", "retractedAt", "createdAt", "updatedAt" FROM "temporary_publication_target"`);
    await q.query(`DROP TABLE "temporary_publication_target"`);
    await q.query(`CREATE INDEX "idx_target_publication" ON "publication_target" ("publicationId") `);
    await q.query(`CREATE UNIQUE INDEX "uq_target_account" ON "publication_target" ("publicationId", "accountId") `);
    await q.query(`CREATE INDEX "idx_target_due" ON "publication_target" ("state", "nextAttemptAt") `);
    await q.query(`DROP INDEX "idx_publication_manuscript"`);
    await q.query(`DROP INDEX "uq_publication_idempotency"`);
    await q.query(`DROP INDEX "idx_publication_unit_path"`);
    await q.query(`ALTER TABLE "publication" RENAME TO "temporary_publication"`);
    await q.query(`CREATE TABLE "publication" ("id" varchar(36) PRIMARY KEY NOT NULL, "manuscriptId" varchar(36) NOT NULL, "versionId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "createdBy" varchar(36) NOT NULL, "idempotencyKey" varchar(128) NOT NULL, "status" varchar(16) NOT NULL, "scheduledAt" datetime(6), "retractReason" varchar(500), "retractedBy" varchar(36), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`INSERT INTO "publication"("id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "createdAt", "updatedAt") SELECT "id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "createdAt", "updatedAt" FROM "temporary_publication"`);
    await q.query(`DROP TABLE "temporary_publication"`);
    await q.query(`CREATE INDEX "idx_publication_manuscript" ON "publication" ("manuscriptId") `);
    await q.query(`CREATE UNIQUE INDEX "uq_publication_idempotency" ON "publication" ("createdBy", "idempotencyKey") `);
    await q.query(`CREATE INDEX "idx_publication_unit_path" ON "publication" ("unitPath", "createdAt") `);
  }
}
