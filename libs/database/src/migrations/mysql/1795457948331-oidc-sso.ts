import { MigrationInterface, QueryRunner } from 'typeorm';

export class OidcSso1795457948331 implements MigrationInterface {
  name = 'OidcSso1795457948331';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`oidc_login_state\` (\`id\` varchar(64) NOT NULL, \`nonce\` varchar(64) NOT NULL, \`codeVerifier\` varchar(128) NOT NULL, \`expiresAt\` datetime(3) NOT NULL, \`consumedAt\` datetime(3) NULL, \`createdAt\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_oidc_login_state_expires\` (\`expiresAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`oidc_login_ticket\` (\`id\` varchar(64) NOT NULL, \`userId\` varchar(36) NOT NULL, \`expiresAt\` datetime(3) NOT NULL, \`usedAt\` datetime(3) NULL, \`createdAt\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_oidc_login_ticket_expires\` (\`expiresAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`oidc_provider_record\` (\`model\` varchar(32) NOT NULL, \`id\` varchar(190) NOT NULL, \`payload\` text NOT NULL, \`grantId\` varchar(190) NULL, \`uid\` varchar(190) NULL, \`userCode\` varchar(190) NULL, \`expiresAt\` datetime(3) NULL, \`consumedAt\` datetime(3) NULL, INDEX \`idx_oidc_provider_record_grant\` (\`grantId\`), INDEX \`idx_oidc_provider_record_uid\` (\`uid\`), INDEX \`idx_oidc_provider_record_user_code\` (\`userCode\`), INDEX \`idx_oidc_provider_record_expires\` (\`expiresAt\`), PRIMARY KEY (\`model\`, \`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`oidc_signing_key\` (\`slot\` varchar(32) NOT NULL, \`kid\` varchar(64) NOT NULL, \`alg\` varchar(16) NOT NULL, \`sealedJwk\` text NOT NULL, \`createdAt\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`slot\`)) ENGINE=InnoDB`);
    await q.query(`CREATE UNIQUE INDEX \`uq_user_oidc\` ON \`user\` (\`oidcIssuer\`, \`oidcSubject\`)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`uq_user_oidc\` ON \`user\``);
    await q.query(`DROP TABLE \`oidc_signing_key\``);
    await q.query(`DROP INDEX \`idx_oidc_provider_record_expires\` ON \`oidc_provider_record\``);
    await q.query(`DROP INDEX \`idx_oidc_provider_record_user_code\` ON \`oidc_provider_record\``);
    await q.query(`DROP INDEX \`idx_oidc_provider_record_uid\` ON \`oidc_provider_record\``);
    await q.query(`DROP INDEX \`idx_oidc_provider_record_grant\` ON \`oidc_provider_record\``);
    await q.query(`DROP TABLE \`oidc_provider_record\``);
    await q.query(`DROP INDEX \`idx_oidc_login_ticket_expires\` ON \`oidc_login_ticket\``);
    await q.query(`DROP TABLE \`oidc_login_ticket\``);
    await q.query(`DROP INDEX \`idx_oidc_login_state_expires\` ON \`oidc_login_state\``);
    await q.query(`DROP TABLE \`oidc_login_state\``);
  }
}
