import { MigrationInterface, QueryRunner } from 'typeorm';

export class Compliance1795458614382 implements MigrationInterface {
  name = 'Compliance1795458614382';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "lexicon_version" ("id" varchar(36) PRIMARY KEY NOT NULL, "number" integer NOT NULL, "status" varchar(16) NOT NULL, "basedOnId" varchar(36), "entryCount" integer NOT NULL, "note" varchar(500), "createdBy" varchar(36), "createdAt" datetime(6) NOT NULL, "publishedBy" varchar(36), "publishedAt" datetime(6))`);
    await q.query(`CREATE INDEX "idx_lexicon_version_status" ON "lexicon_version" ("status", "number") `);
    await q.query(`CREATE UNIQUE INDEX "uq_lexicon_version_number" ON "lexicon_version" ("number") `);
    await q.query(`CREATE TABLE "lexicon_entry" ("versionId" varchar(36) NOT NULL, "seq" integer NOT NULL, "kind" varchar(24) NOT NULL, "term" varchar(200) NOT NULL, "replacement" varchar(500), "severity" varchar(8), "note" varchar(500), PRIMARY KEY ("versionId", "seq"))`);
    await q.query(`CREATE INDEX "idx_lexicon_entry_kind" ON "lexicon_entry" ("versionId", "kind", "seq") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_lexicon_entry_kind"`);
    await q.query(`DROP TABLE "lexicon_entry"`);
    await q.query(`DROP INDEX "uq_lexicon_version_number"`);
    await q.query(`DROP INDEX "idx_lexicon_version_status"`);
    await q.query(`DROP TABLE "lexicon_version"`);
  }
}
