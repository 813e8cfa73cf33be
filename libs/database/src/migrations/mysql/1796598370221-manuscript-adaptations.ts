import { MigrationInterface, QueryRunner } from 'typeorm';

export class ManuscriptAdaptations1796598370221 implements MigrationInterface {
  name = 'ManuscriptAdaptations1796598370221';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`manuscript_version\` ADD \`adaptations\` text NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`manuscript_version\` DROP COLUMN \`adaptations\``);
  }
}
