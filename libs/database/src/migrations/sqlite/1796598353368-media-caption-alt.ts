import { MigrationInterface, QueryRunner } from 'typeorm';

export class MediaCaptionAlt1796598353368 implements MigrationInterface {
  name = 'MediaCaptionAlt1796598353368';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "media" ADD COLUMN "caption" varchar(200)`);
    await q.query(`ALTER TABLE "media" ADD COLUMN "alt" varchar(200)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "media" DROP COLUMN "alt"`);
    await q.query(`ALTER TABLE "media" DROP COLUMN "caption"`);
  }
}
