import { MigrationInterface, QueryRunner } from 'typeorm';

export class PluginHost1795458630000 implements MigrationInterface {
  name = 'PluginHost1795458630000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`account\` ADD \`endpoints\` text NULL`);
    await q.query(`ALTER TABLE \`account\` ADD \`sandbox\` tinyint NOT NULL DEFAULT 0`);
    await q.query(`CREATE TABLE \`oauth_state\` (\`id\` varchar(36) NOT NULL, \`stateHash\` varchar(64) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`platform\` varchar(64) NOT NULL, \`redirectUri\` varchar(500) NOT NULL, \`expiresAt\` datetime(6) NOT NULL, \`usedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`idx_oauth_state_hash\` (\`stateHash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`platform_app_credential\` (\`platform\` varchar(64) NOT NULL, \`keyId\` varchar(32) NOT NULL, \`algorithm\` varchar(32) NOT NULL, \`sealed\` text NOT NULL, \`version\` int NOT NULL DEFAULT '1', \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`platform\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`account_alert\` (\`id\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`kind\` varchar(32) NOT NULL, \`message\` varchar(500) NOT NULL, \`resolvedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_account_alert_account\` (\`accountId\`), INDEX \`idx_account_alert_unit_path\` (\`unitPath\`, \`resolvedAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`account\` DROP COLUMN \`sandbox\``);
    await q.query(`ALTER TABLE \`account\` DROP COLUMN \`endpoints\``);
    await q.query(`DROP INDEX \`idx_account_alert_unit_path\` ON \`account_alert\``);
    await q.query(`DROP INDEX \`idx_account_alert_account\` ON \`account_alert\``);
    await q.query(`DROP TABLE \`account_alert\``);
    await q.query(`DROP TABLE \`platform_app_credential\``);
    await q.query(`DROP INDEX \`idx_oauth_state_hash\` ON \`oauth_state\``);
    await q.query(`DROP TABLE \`oauth_state\``);
  }
}
