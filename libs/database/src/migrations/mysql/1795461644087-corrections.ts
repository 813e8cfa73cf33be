import { MigrationInterface, QueryRunner } from 'typeorm';

export class Corrections1795461644087 implements MigrationInterface {
  name = 'Corrections1795461644087';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`publication\` ADD \`correctionOf\` varchar(36) NULL`);
    await q.query(`ALTER TABLE \`publication\` ADD \`correctionReason\` varchar(500) NULL`);
    await q.query(`ALTER TABLE \`publication_target\` ADD \`correctionMode\` varchar(16) NULL`);
    await q.query(`ALTER TABLE \`publication_target\` ADD \`replacesTargetId\` varchar(36) NULL`);
    await q.query(`ALTER TABLE \`publication_target\` ADD \`supersededBy\` varchar(36) NULL`);
    await q.query(`ALTER TABLE \`publication_target\` ADD \`note\` varchar(500) NULL`);
    await q.query(`CREATE INDEX \`idx_publication_correction_of\` ON \`publication\` (\`correctionOf\`)`);
    await q.query(`CREATE INDEX \`idx_target_replaces\` ON \`publication_target\` (\`replacesTargetId\`)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_target_replaces\` ON \`publication_target\``);
    await q.query(`DROP INDEX \`idx_publication_correction_of\` ON \`publication\``);
    await q.query(`ALTER TABLE \`publication_target\` DROP COLUMN \`note\``);
    await q.query(`ALTER TABLE \`publication_target\` DROP COLUMN \`supersededBy\``);
    await q.query(`ALTER TABLE \`publication_target\` DROP COLUMN \`replacesTargetId\``);
    await q.query(`ALTER TABLE \`publication_target\` DROP COLUMN \`correctionMode\``);
    await q.query(`ALTER TABLE \`publication\` DROP COLUMN \`correctionReason\``);
    await q.query(`ALTER TABLE \`publication\` DROP COLUMN \`correctionOf\``);
  }
}
