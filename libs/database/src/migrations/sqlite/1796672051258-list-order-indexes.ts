import { MigrationInterface, QueryRunner } from 'typeorm';

export class ListOrderIndexes1796672051258 implements MigrationInterface {
  name = 'ListOrderIndexes1796672051258';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_publication_created" ON "publication" ("createdAt") `);
    await q.query(`CREATE INDEX "idx_manuscript_updated" ON "manuscript" ("updatedAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_manuscript_updated"`);
    await q.query(`DROP INDEX "idx_publication_created"`);
  }
}
