import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue #16: publications carry a priority, targets and embedded jobs a queue rank (lower runs first). */
export class PublishingPriority1796658261766 implements MigrationInterface {
  name = 'PublishingPriority1796658261766';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`job_record\` ADD \`priority\` int NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE \`publication\` ADD \`priority\` varchar(16) NOT NULL DEFAULT 'normal'`);
    await q.query(`ALTER TABLE \`publication_target\` ADD \`priority\` int NOT NULL DEFAULT '100001'`);
    await q.query(`CREATE INDEX \`idx_job_due_rank\` ON \`job_record\` (\`state\`, \`priority\`, \`runAt\`)`);
    await q.query(`CREATE INDEX \`idx_target_due_rank\` ON \`publication_target\` (\`state\`, \`priority\`, \`nextAttemptAt\`)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_target_due_rank\` ON \`publication_target\``);
    await q.query(`DROP INDEX \`idx_job_due_rank\` ON \`job_record\``);
    await q.query(`ALTER TABLE \`publication_target\` DROP COLUMN \`priority\``);
    await q.query(`ALTER TABLE \`publication\` DROP COLUMN \`priority\``);
    await q.query(`ALTER TABLE \`job_record\` DROP COLUMN \`priority\``);
  }
}
