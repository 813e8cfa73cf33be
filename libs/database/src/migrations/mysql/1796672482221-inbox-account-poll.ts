import { MigrationInterface, QueryRunner } from 'typeorm';

export class InboxAccountPoll1796672482221 implements MigrationInterface {
  name = 'InboxAccountPoll1796672482221';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`inbox_account_poll\` (\`accountId\` varchar(36) NOT NULL, \`platform\` varchar(64) NOT NULL, \`mark\` varchar(200) NULL, \`readCursor\` varchar(200) NULL, \`readMark\` varchar(200) NULL, \`nextDueAt\` datetime(6) NULL, \`lastPolledAt\` datetime(6) NULL, \`calls\` int NOT NULL DEFAULT '0', \`lastError\` varchar(500) NULL, INDEX \`idx_inbox_account_poll_due\` (\`nextDueAt\`), PRIMARY KEY (\`accountId\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_inbox_account_poll_due\` ON \`inbox_account_poll\``);
    await q.query(`DROP TABLE \`inbox_account_poll\``);
  }
}
