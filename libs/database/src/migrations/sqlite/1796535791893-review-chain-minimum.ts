import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReviewChainMinimum1796535791893 implements MigrationInterface {
  name = 'ReviewChainMinimum1796535791893';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "review_chain_minimum" ("category" varchar(16) PRIMARY KEY NOT NULL, "minSteps" integer NOT NULL, "updatedBy" varchar(36) NOT NULL, "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "review_chain_minimum"`);
  }
}
