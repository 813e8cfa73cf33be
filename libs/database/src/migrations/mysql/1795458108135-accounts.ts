import { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1795458108135 implements MigrationInterface {
  name = 'Accounts1795458108135';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`account\` (\`id\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`platform\` varchar(64) NOT NULL, \`name\` varchar(100) NOT NULL, \`platformAccountId\` varchar(128) NULL, \`profileName\` varchar(100) NULL, \`verifiedSubject\` varchar(200) NULL, \`avatarUrl\` varchar(500) NULL, \`followers\` int NULL, \`profileCheckedAt\` datetime(6) NULL, \`status\` varchar(16) NOT NULL, \`connection\` varchar(16) NOT NULL DEFAULT 'none', \`exceptionReason\` varchar(500) NULL, \`namingIssues\` text NULL, \`lastPostAt\` datetime(6) NULL, \`openedAt\` datetime(6) NULL, \`closedAt\` datetime(6) NULL, \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_account_unit_platform\` (\`unitId\`, \`platform\`), INDEX \`idx_account_unit_path\` (\`unitPath\`, \`platform\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`account_approval\` (\`id\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`requestedBy\` varchar(36) NOT NULL, \`reason\` varchar(500) NULL, \`exception\` tinyint NOT NULL DEFAULT 0, \`decision\` varchar(16) NOT NULL, \`decidedBy\` varchar(36) NULL, \`decidedAt\` datetime(6) NULL, \`comment\` varchar(500) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_account_approval_account\` (\`accountId\`), INDEX \`idx_account_approval_unit_path\` (\`unitPath\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`filing\` (\`id\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`kind\` varchar(16) NOT NULL, \`details\` text NOT NULL, \`effectiveAt\` datetime(6) NOT NULL, \`dueAt\` datetime(6) NOT NULL, \`filedAt\` datetime(6) NULL, \`late\` tinyint NOT NULL DEFAULT 0, \`filedBy\` varchar(36) NULL, \`reference\` varchar(200) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_filing_account\` (\`accountId\`), INDEX \`idx_filing_unit_path_due\` (\`unitPath\`, \`dueAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`account_credential\` (\`accountId\` varchar(36) NOT NULL, \`keyId\` varchar(32) NOT NULL, \`algorithm\` varchar(32) NOT NULL, \`sealed\` text NOT NULL, \`expiresAt\` datetime(6) NULL, \`refreshAt\` datetime(6) NULL, \`refreshFailures\` int NOT NULL DEFAULT '0', \`version\` int NOT NULL DEFAULT '1', \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`accountId\`)) ENGINE=InnoDB`);
    await q.query(`ALTER TABLE \`oidc_login_state\` CHANGE \`createdAt\` \`createdAt\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)`);
    await q.query(`ALTER TABLE \`oidc_login_ticket\` CHANGE \`createdAt\` \`createdAt\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)`);
    await q.query(`ALTER TABLE \`oidc_signing_key\` CHANGE \`createdAt\` \`createdAt\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`oidc_signing_key\` CHANGE \`createdAt\` \`createdAt\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)`);
    await q.query(`ALTER TABLE \`oidc_login_ticket\` CHANGE \`createdAt\` \`createdAt\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)`);
    await q.query(`ALTER TABLE \`oidc_login_state\` CHANGE \`createdAt\` \`createdAt\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)`);
    await q.query(`DROP TABLE \`account_credential\``);
    await q.query(`DROP INDEX \`idx_filing_unit_path_due\` ON \`filing\``);
    await q.query(`DROP INDEX \`idx_filing_account\` ON \`filing\``);
    await q.query(`DROP TABLE \`filing\``);
    await q.query(`DROP INDEX \`idx_account_approval_unit_path\` ON \`account_approval\``);
    await q.query(`DROP INDEX \`idx_account_approval_account\` ON \`account_approval\``);
    await q.query(`DROP TABLE \`account_approval\``);
    await q.query(`DROP INDEX \`idx_account_unit_path\` ON \`account\``);
    await q.query(`DROP INDEX \`idx_account_unit_platform\` ON \`account\``);
    await q.query(`DROP TABLE \`account\``);
  }
}
