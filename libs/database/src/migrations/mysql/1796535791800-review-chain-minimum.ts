import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReviewChainMinimum1796535791800 implements MigrationInterface {
  name = 'ReviewChainMinimum1796535791800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`review_chain_minimum\` (\`category\` varchar(16) NOT NULL, \`minSteps\` int NOT NULL, \`updatedBy\` varchar(36) NOT NULL, \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`category\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE \`review_chain_minimum\``);
  }
}
