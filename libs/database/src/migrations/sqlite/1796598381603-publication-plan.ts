import { MigrationInterface, QueryRunner } from 'typeorm';

export class PublicationPlan1796598381603 implements MigrationInterface {
  name = 'PublicationPlan1796598381603';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "publication_plan" ("manuscriptId" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "plannedAt" datetime(6) NOT NULL, "accountIds" text, "updatedBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_plan_unit_path" ON "publication_plan" ("unitPath", "plannedAt")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_plan_unit_path"`);
    await q.query(`DROP TABLE "publication_plan"`);
  }
}
