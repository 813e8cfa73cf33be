import { MigrationInterface, QueryRunner } from 'typeorm';

export class Monitoring1796614512590 implements MigrationInterface {
  name = 'Monitoring1796614512590';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`monitoring_activity_day\` (\`accountId\` varchar(36) NOT NULL, \`day\` varchar(10) NOT NULL, \`days\` smallint NOT NULL DEFAULT '1', \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`platform\` varchar(64) NOT NULL, \`postsTongfa\` int NOT NULL DEFAULT '0', \`postsNative\` int NOT NULL DEFAULT '0', \`lastPostAt\` datetime(6) NULL, \`lastPostUrl\` varchar(1000) NULL, \`lastPostSource\` varchar(8) NULL, \`followers\` int NULL, \`reads\` int NULL, \`likes\` int NULL, \`comments\` int NULL, INDEX \`idx_activity_day_unit_path\` (\`unitPath\`, \`day\`), PRIMARY KEY (\`accountId\`, \`day\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`monitoring_account\` (\`accountId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`platform\` varchar(64) NOT NULL, \`lastPostAt\` datetime(6) NULL, \`lastPostUrl\` varchar(1000) NULL, \`lastPostSource\` varchar(8) NULL, \`silentDays\` int NOT NULL DEFAULT '0', \`postsLast7Days\` int NOT NULL DEFAULT '0', \`worstState\` varchar(8) NOT NULL DEFAULT 'unknown', \`riskRank\` smallint NOT NULL DEFAULT '1', \`rolledUpAt\` datetime(6) NULL, \`countedUntil\` datetime(6) NULL, \`nextRollupAt\` datetime(6) NULL, \`listError\` varchar(500) NULL, INDEX \`idx_monitoring_account_due\` (\`nextRollupAt\`), INDEX \`idx_monitoring_account_risk\` (\`unitPath\`, \`riskRank\`, \`silentDays\`), PRIMARY KEY (\`accountId\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`monitoring_rule_state\` (\`accountId\` varchar(36) NOT NULL, \`ruleId\` varchar(64) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`state\` varchar(8) NOT NULL, \`step\` int NULL, \`since\` datetime(6) NOT NULL, \`evidence\` text NOT NULL, \`ruleSet\` varchar(64) NOT NULL, \`ruleSetVersion\` varchar(32) NOT NULL, \`evaluatedAt\` datetime(6) NOT NULL, INDEX \`idx_rule_state_rule\` (\`ruleId\`, \`state\`, \`unitPath\`), PRIMARY KEY (\`accountId\`, \`ruleId\`)) ENGINE=InnoDB`);
    await q.query(`CREATE INDEX \`idx_target_account_published\` ON \`publication_target\` (\`accountId\`, \`publishedAt\`)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_target_account_published\` ON \`publication_target\``);
    await q.query(`DROP INDEX \`idx_rule_state_rule\` ON \`monitoring_rule_state\``);
    await q.query(`DROP TABLE \`monitoring_rule_state\``);
    await q.query(`DROP INDEX \`idx_monitoring_account_risk\` ON \`monitoring_account\``);
    await q.query(`DROP INDEX \`idx_monitoring_account_due\` ON \`monitoring_account\``);
    await q.query(`DROP TABLE \`monitoring_account\``);
    await q.query(`DROP INDEX \`idx_activity_day_unit_path\` ON \`monitoring_activity_day\``);
    await q.query(`DROP TABLE \`monitoring_activity_day\``);
  }
}
