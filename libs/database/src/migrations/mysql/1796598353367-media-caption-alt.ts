import { MigrationInterface, QueryRunner } from 'typeorm';

export class MediaCaptionAlt1796598353367 implements MigrationInterface {
  name = 'MediaCaptionAlt1796598353367';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`media\` ADD \`caption\` varchar(200) NULL`);
    await q.query(`ALTER TABLE \`media\` ADD \`alt\` varchar(200) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`media\` DROP COLUMN \`alt\``);
    await q.query(`ALTER TABLE \`media\` DROP COLUMN \`caption\``);
  }
}
