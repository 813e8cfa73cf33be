import { MigrationInterface, QueryRunner } from 'typeorm';

export class Compliance1795458613859 implements MigrationInterface {
  name = 'Compliance1795458613859';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`lexicon_version\` (\`id\` varchar(36) NOT NULL, \`number\` int NOT NULL, \`status\` varchar(16) NOT NULL, \`basedOnId\` varchar(36) NULL, \`entryCount\` int NOT NULL, \`note\` varchar(500) NULL, \`createdBy\` varchar(36) NULL, \`createdAt\` datetime(6) NOT NULL, \`publishedBy\` varchar(36) NULL, \`publishedAt\` datetime(6) NULL, INDEX \`idx_lexicon_version_status\` (\`status\`, \`number\`), UNIQUE INDEX \`uq_lexicon_version_number\` (\`number\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`lexicon_entry\` (\`versionId\` varchar(36) NOT NULL, \`seq\` int NOT NULL, \`kind\` varchar(24) NOT NULL, \`term\` varchar(200) NOT NULL, \`replacement\` varchar(500) NULL, \`severity\` varchar(8) NULL, \`note\` varchar(500) NULL, INDEX \`idx_lexicon_entry_kind\` (\`versionId\`, \`kind\`, \`seq\`), PRIMARY KEY (\`versionId\`, \`seq\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_lexicon_entry_kind\` ON \`lexicon_entry\``);
    await q.query(`DROP TABLE \`lexicon_entry\``);
    await q.query(`DROP INDEX \`uq_lexicon_version_number\` ON \`lexicon_version\``);
    await q.query(`DROP INDEX \`idx_lexicon_version_status\` ON \`lexicon_version\``);
    await q.query(`DROP TABLE \`lexicon_version\``);
  }
}
