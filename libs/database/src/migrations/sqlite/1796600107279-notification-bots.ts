import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationBots1796600107279 implements MigrationInterface {
  name = 'NotificationBots1796600107279';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "notification_channel" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "provider" varchar(16) NOT NULL, "name" varchar(64) NOT NULL, "kinds" text NOT NULL, "enabled" boolean NOT NULL DEFAULT (1), "keyId" varchar(64) NOT NULL, "algorithm" varchar(32) NOT NULL, "sealed" text NOT NULL, "secretTail" varchar(8) NOT NULL, "signed" boolean NOT NULL DEFAULT (0), "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_notification_channel_unit" ON "notification_channel" ("unitId") `);
    await q.query(`CREATE TABLE "notification_delivery" ("id" varchar(36) PRIMARY KEY NOT NULL, "channelId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "kind" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "text" varchar(2000) NOT NULL, "dedupeKey" varchar(191) NOT NULL, "state" varchar(16) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "nextAttemptAt" datetime(6), "claimedAt" datetime(6), "lastError" varchar(300), "sentAt" datetime(6), "createdAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX "uq_notification_delivery_dedupe" ON "notification_delivery" ("dedupeKey") `);
    await q.query(`CREATE INDEX "idx_notification_delivery_channel" ON "notification_delivery" ("channelId", "createdAt") `);
    await q.query(`CREATE INDEX "idx_notification_delivery_due" ON "notification_delivery" ("state", "nextAttemptAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_notification_delivery_due"`);
    await q.query(`DROP INDEX "idx_notification_delivery_channel"`);
    await q.query(`DROP INDEX "uq_notification_delivery_dedupe"`);
    await q.query(`DROP TABLE "notification_delivery"`);
    await q.query(`DROP INDEX "idx_notification_channel_unit"`);
    await q.query(`DROP TABLE "notification_channel"`);
  }
}
