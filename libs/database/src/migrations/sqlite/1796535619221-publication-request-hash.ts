import { MigrationInterface, QueryRunner } from 'typeorm';

export class PublicationRequestHash1796535619221 implements MigrationInterface {
  name = 'PublicationRequestHash1796535619221';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_publication_unit_path"`);
    await q.query(`DROP INDEX "uq_publication_idempotency"`);
    await q.query(`DROP INDEX "idx_publication_correction_of"`);
    await q.query(`DROP INDEX "idx_publication_manuscript"`);
    await q.query(`CREATE TABLE "temporary_publication" ("id" varchar(36) PRIMARY KEY NOT NULL, "manuscriptId" varchar(36) NOT NULL, "versionId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "createdBy" varchar(36) NOT NULL, "idempotencyKey" varchar(128) NOT NULL, "status" varchar(16) NOT NULL, "scheduledAt" datetime(6), "retractReason" varchar(500), "retractedBy" varchar(36), "correctionOf" varchar(36), "correctionReason" varchar(500), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "requestHash" varchar(64))`);
    await q.query(`INSERT INTO "temporary_publication"("id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "correctionOf", "correctionReason", "createdAt", "updatedAt") SELECT "id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "correctionOf", "correctionReason", "createdAt", "updatedAt" FROM "publication"`);
    await q.query(`DROP TABLE "publication"`);
    await q.query(`ALTER TABLE "temporary_publication" RENAME TO "publication"`);
    await q.query(`CREATE INDEX "idx_publication_unit_path" ON "publication" ("unitPath", "createdAt") `);
    await q.query(`CREATE UNIQUE INDEX "uq_publication_idempotency" ON "publication" ("createdBy", "idempotencyKey") `);
    await q.query(`CREATE INDEX "idx_publication_correction_of" ON "publication" ("correctionOf") `);
    await q.query(`CREATE INDEX "idx_publication_manuscript" ON "publication" ("manuscriptId") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_publication_manuscript"`);
    await q.query(`DROP INDEX "idx_publication_correction_of"`);
    await q.query(`DROP INDEX "uq_publication_idempotency"`);
    await q.query(`DROP INDEX "idx_publication_unit_path"`);
    await q.query(`ALTER TABLE "publication" RENAME TO "temporary_publication"`);
    await q.query(`CREATE TABLE "publication" ("id" varchar(36) PRIMARY KEY NOT NULL, "manuscriptId" varchar(36) NOT NULL, "versionId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "createdBy" varchar(36) NOT NULL, "idempotencyKey" varchar(128) NOT NULL, "status" varchar(16) NOT NULL, "scheduledAt" datetime(6), "retractReason" varchar(500), "retractedBy" varchar(36), "correctionOf" varchar(36), "correctionReason" varchar(500), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`INSERT INTO "publication"("id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "correctionOf", "correctionReason", "createdAt", "updatedAt") SELECT "id", "manuscriptId", "versionId", "unitId", "unitPath", "createdBy", "idempotencyKey", "status", "scheduledAt", "retractReason", "retractedBy", "correctionOf", "correctionReason", "createdAt", "updatedAt" FROM "temporary_publication"`);
    await q.query(`DROP TABLE "temporary_publication"`);
    await q.query(`CREATE INDEX "idx_publication_manuscript" ON "publication" ("manuscriptId") `);
    await q.query(`CREATE INDEX "idx_publication_correction_of" ON "publication" ("correctionOf") `);
    await q.query(`CREATE UNIQUE INDEX "uq_publication_idempotency" ON "publication" ("createdBy", "idempotencyKey") `);
    await q.query(`CREATE INDEX "idx_publication_unit_path" ON "publication" ("unitPath", "createdAt") `);
  }
}
