import { MigrationInterface, QueryRunner } from 'typeorm';

export class PublicationRequestHash1796535618987 implements MigrationInterface {
  name = 'PublicationRequestHash1796535618987';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`publication\` ADD \`requestHash\` varchar(64) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`publication\` DROP COLUMN \`requestHash\``);
  }
}
