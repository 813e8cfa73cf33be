import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1796598495134 implements MigrationInterface {
  name = 'Notifications1796598495134';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "notification" ("id" varchar(36) PRIMARY KEY NOT NULL, "userId" varchar(36) NOT NULL, "kind" varchar(32) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "titleZh" varchar(200) NOT NULL, "titleEn" varchar(200) NOT NULL, "bodyZh" varchar(1000) NOT NULL, "bodyEn" varchar(1000) NOT NULL, "resourceType" varchar(32) NOT NULL, "resourceId" varchar(36) NOT NULL, "dedupeKey" varchar(191) NOT NULL, "createdAt" datetime(6) NOT NULL, "readAt" datetime(6))`);
    await q.query(`CREATE UNIQUE INDEX "uq_notification_dedupe" ON "notification" ("dedupeKey") `);
    await q.query(`CREATE INDEX "idx_notification_unread" ON "notification" ("userId", "readAt") `);
    await q.query(`CREATE INDEX "idx_notification_user" ON "notification" ("userId", "createdAt") `);
    await q.query(`DROP INDEX "idx_duty_alert_unit_path"`);
    await q.query(`DROP INDEX "idx_duty_alert_open"`);
    await q.query(`DROP INDEX "uq_duty_alert_dedupe"`);
    await q.query(`CREATE TABLE "temporary_duty_alert" ("id" varchar(36) PRIMARY KEY NOT NULL, "kind" varchar(32) NOT NULL, "severity" varchar(16) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "titleZh" varchar(200) NOT NULL, "titleEn" varchar(200) NOT NULL, "messageZh" varchar(1000) NOT NULL, "messageEn" varchar(1000) NOT NULL, "resourceType" varchar(32) NOT NULL, "resourceId" varchar(36) NOT NULL, "dedupeKey" varchar(191) NOT NULL, "createdAt" datetime(6) NOT NULL, "acknowledgedAt" datetime(6), "acknowledgedBy" varchar(36), "resolvedAt" datetime(6), "resolvedBy" varchar(36))`);
    await q.query(`INSERT INTO "temporary_duty_alert"("id", "kind", "severity", "unitId", "unitPath", "titleZh", "titleEn", "messageZh", "messageEn", "resourceType", "resourceId", "dedupeKey", "createdAt", "acknowledgedAt", "acknowledgedBy") SELECT "id", "kind", "severity", "unitId", "unitPath", "titleZh", "titleEn", "messageZh", "messageEn", "resourceType", "resourceId", "dedupeKey", "createdAt", "acknowledgedAt", "acknowledgedBy" FROM "duty_alert"`);
    await q.query(`DROP TABLE "duty_alert"`);
    await q.query(`ALTER TABLE "temporary_duty_alert" RENAME TO "duty_alert"`);
    await q.query(`CREATE INDEX "idx_duty_alert_unit_path" ON "duty_alert" ("unitPath", "createdAt") `);
    await q.query(`CREATE INDEX "idx_duty_alert_open" ON "duty_alert" ("acknowledgedAt", "unitPath") `);
    await q.query(`CREATE UNIQUE INDEX "uq_duty_alert_dedupe" ON "duty_alert" ("dedupeKey") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_duty_alert_dedupe"`);
    await q.query(`DROP INDEX "idx_duty_alert_open"`);
    await q.query(`DROP INDEX "idx_duty_alert_unit_path"`);
    await q.query(`ALTER TABLE "duty_alert" RENAME TO "temporary_duty_alert"`);
    await q.query(`CREATE TABLE "duty_alert" ("id" varchar(36) PRIMARY KEY NOT NULL, "kind" varchar(32) NOT NULL, "severity" varchar(16) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "titleZh" varchar(200) NOT NULL, "titleEn" varchar(200) NOT NULL, "messageZh" varchar(1000) NOT NULL, "messageEn" varchar(1000) NOT NULL, "resourceType" varchar(32) NOT NULL, "resourceId" varchar(36) NOT NULL, "dedupeKey" varchar(191) NOT NULL, "createdAt" datetime(6) NOT NULL, "acknowledgedAt" datetime(6), "acknowledgedBy" varchar(36))`);
    await q.query(`INSERT INTO "duty_alert"("id", "kind", "severity", "unitId", "unitPath", "titleZh", "titleEn", "messageZh", "messageEn", "resourceType", "resourceId", "dedupeKey", "createdAt", "acknowledgedAt", "acknowledgedBy") SELECT "id", "kind", "severity", "unitId", "unitPath", "titleZh", "titleEn", "messageZh", "messageEn", "resourceType", "resourceId", "dedupeKey", "createdAt", "acknowledgedAt", "acknowledgedBy" FROM "temporary_duty_alert"`);
    await q.query(`DROP TABLE "temporary_duty_alert"`);
    await q.query(`CREATE UNIQUE INDEX "uq_duty_alert_dedupe" ON "duty_alert" ("dedupeKey") `);
    await q.query(`CREATE INDEX "idx_duty_alert_open" ON "duty_alert" ("acknowledgedAt", "unitPath") `);
    await q.query(`CREATE INDEX "idx_duty_alert_unit_path" ON "duty_alert" ("unitPath", "createdAt") `);
    await q.query(`DROP INDEX "idx_notification_user"`);
    await q.query(`DROP INDEX "idx_notification_unread"`);
    await q.query(`DROP INDEX "uq_notification_dedupe"`);
    await q.query(`DROP TABLE "notification"`);
  }
}
