import { MigrationInterface, QueryRunner } from 'typeorm';

export class PublicationPlan1796598381602 implements MigrationInterface {
  name = 'PublicationPlan1796598381602';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`publication_plan\` (\`manuscriptId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`plannedAt\` datetime(6) NOT NULL, \`accountIds\` text NULL, \`updatedBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_plan_unit_path\` (\`unitPath\`, \`plannedAt\`), PRIMARY KEY (\`manuscriptId\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE \`publication_plan\``);
  }
}
