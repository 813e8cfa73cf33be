import { MigrationInterface, QueryRunner } from 'typeorm';

export class DutyAlerts1795461538285 implements MigrationInterface {
  name = 'DutyAlerts1795461538285';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "duty_alert" ("id" varchar(36) PRIMARY KEY NOT NULL, "kind" varchar(32) NOT NULL, "severity" varchar(16) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "titleZh" varchar(200) NOT NULL, "titleEn" varchar(200) NOT NULL, "messageZh" varchar(1000) NOT NULL, "messageEn" varchar(1000) NOT NULL, "resourceType" varchar(32) NOT NULL, "resourceId" varchar(36) NOT NULL, "dedupeKey" varchar(191) NOT NULL, "createdAt" datetime(6) NOT NULL, "acknowledgedAt" datetime(6), "acknowledgedBy" varchar(36))`);
    await q.query(`CREATE UNIQUE INDEX "uq_duty_alert_dedupe" ON "duty_alert" ("dedupeKey") `);
    await q.query(`CREATE INDEX "idx_duty_alert_open" ON "duty_alert" ("acknowledgedAt", "unitPath") `);
    await q.query(`CREATE INDEX "idx_duty_alert_unit_path" ON "duty_alert" ("unitPath", "createdAt") `);
    await q.query(`DROP INDEX "idx_manuscript_unit_path"`);
    await q.query(`DROP INDEX "idx_manuscript_status"`);
    await q.query(`DROP INDEX "idx_manuscript_author"`);
    await q.query(`CREATE TABLE "temporary_manuscript" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "authorId" varchar(36) NOT NULL, "title" varchar(200) NOT NULL, "category" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "currentVersionId" varchar(36) NOT NULL, "currentVersionNumber" integer NOT NULL, "approvedVersionId" varchar(36), "chain" text, "approvedSteps" text, "submittedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "revision" integer NOT NULL, "escalatedSteps" text, "escalationDueAt" datetime(6))`);
    await q.query(`INSERT INTO "temporary_manuscript"("id", "unitId", "unitPath", "authorId", "title", "category", "status", "currentVersionId", "currentVersionNumber", "approvedVersionId", "chain", "approvedSteps", "submittedAt", "createdAt", "updatedAt", "revision") SELECT "id", "unitId", "unitPath", "authorId", "title", "category", "status", "currentVersionId", "currentVersionNumber", "approvedVersionId", "chain", "approvedSteps", "submittedAt", "createdAt", "updatedAt", "revision" FROM "manuscript"`);
    await q.query(`DROP TABLE "manuscript"`);
    await q.query(`ALTER TABLE "temporary_manuscript" RENAME TO "manuscript"`);
    await q.query(`CREATE INDEX "idx_manuscript_unit_path" ON "manuscript" ("unitPath", "updatedAt") `);
    await q.query(`CREATE INDEX "idx_manuscript_status" ON "manuscript" ("status", "unitPath") `);
    await q.query(`CREATE INDEX "idx_manuscript_author" ON "manuscript" ("authorId") `);
    await q.query(`CREATE INDEX "idx_manuscript_escalation_due" ON "manuscript" ("escalationDueAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_manuscript_escalation_due"`);
    await q.query(`DROP INDEX "idx_manuscript_author"`);
    await q.query(`DROP INDEX "idx_manuscript_status"`);
    await q.query(`DROP INDEX "idx_manuscript_unit_path"`);
    await q.query(`ALTER TABLE "manuscript" RENAME TO "temporary_manuscript"`);
    await q.query(`CREATE TABLE "manuscript" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "authorId" varchar(36) NOT NULL, "title" varchar(200) NOT NULL, "category" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "currentVersionId" varchar(36) NOT NULL, "currentVersionNumber" integer NOT NULL, "approvedVersionId" varchar(36), "chain" text, "approvedSteps" text, "submittedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "revision" integer NOT NULL)`);
    await q.query(`INSERT INTO "manuscript"("id", "unitId", "unitPath", "authorId", "title", "category", "status", "currentVersionId", "currentVersionNumber", "approvedVersionId", "chain", "approvedSteps", "submittedAt", "createdAt", "updatedAt", "revision") SELECT "id", "unitId", "unitPath", "authorId", "title", "category", "status", "currentVersionId", "currentVersionNumber", "approvedVersionId", "chain", "approvedSteps", "submittedAt", "createdAt", "updatedAt", "revision" FROM "temporary_manuscript"`);
    await q.query(`DROP TABLE "temporary_manuscript"`);
    await q.query(`CREATE INDEX "idx_manuscript_author" ON "manuscript" ("authorId") `);
    await q.query(`CREATE INDEX "idx_manuscript_status" ON "manuscript" ("status", "unitPath") `);
    await q.query(`CREATE INDEX "idx_manuscript_unit_path" ON "manuscript" ("unitPath", "updatedAt") `);
    await q.query(`DROP INDEX "idx_duty_alert_unit_path"`);
    await q.query(`DROP INDEX "idx_duty_alert_open"`);
    await q.query(`DROP INDEX "uq_duty_alert_dedupe"`);
    await q.query(`DROP TABLE "duty_alert"`);
  }
}
