import { MigrationInterface, QueryRunner } from 'typeorm';

export class Duty1796647949202 implements MigrationInterface {
  name = 'Duty1796647949202';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "duty_schedule" ("unitId" varchar(36) PRIMARY KEY NOT NULL, "unitPath" varchar(400) NOT NULL, "layers" text NOT NULL, "policy" text NOT NULL, "updatedAt" datetime(6) NOT NULL, "updatedBy" varchar(36) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_duty_schedule_path" ON "duty_schedule" ("unitPath") `);
    await q.query(`CREATE TABLE "duty_override" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "userId" varchar(36) NOT NULL, "startsAt" datetime(6) NOT NULL, "endsAt" datetime(6) NOT NULL, "note" varchar(200) NOT NULL DEFAULT (''), "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_duty_override_unit" ON "duty_override" ("unitId", "endsAt") `);
    await q.query(`CREATE TABLE "duty_page" ("id" varchar(36) PRIMARY KEY NOT NULL, "alertId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "state" varchar(16) NOT NULL, "step" integer NOT NULL, "round" integer NOT NULL, "nextAt" datetime(6), "createdAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX "uq_duty_page_alert" ON "duty_page" ("alertId") `);
    await q.query(`CREATE INDEX "idx_duty_page_due" ON "duty_page" ("state", "nextAt") `);
    await q.query(`CREATE TABLE "duty_notice" ("id" varchar(36) PRIMARY KEY NOT NULL, "alertId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "userId" varchar(36) NOT NULL, "step" integer NOT NULL, "round" integer NOT NULL, "reason" varchar(16) NOT NULL, "notifiedAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_duty_notice_alert" ON "duty_notice" ("alertId") `);
    await q.query(`CREATE INDEX "idx_duty_notice_unit" ON "duty_notice" ("unitId", "notifiedAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_duty_notice_unit"`);
    await q.query(`DROP INDEX "idx_duty_notice_alert"`);
    await q.query(`DROP TABLE "duty_notice"`);
    await q.query(`DROP INDEX "idx_duty_page_due"`);
    await q.query(`DROP INDEX "uq_duty_page_alert"`);
    await q.query(`DROP TABLE "duty_page"`);
    await q.query(`DROP INDEX "idx_duty_override_unit"`);
    await q.query(`DROP TABLE "duty_override"`);
    await q.query(`DROP INDEX "idx_duty_schedule_path"`);
    await q.query(`DROP TABLE "duty_schedule"`);
  }
}
