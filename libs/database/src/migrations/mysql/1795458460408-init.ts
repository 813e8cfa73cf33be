import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795458460408 implements MigrationInterface {
  name = 'Init1795458460408';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`unit\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`level\` varchar(16) NOT NULL, \`parentId\` varchar(36) NULL, \`path\` varchar(400) NOT NULL, \`depth\` int NOT NULL, \`creditCode\` varchar(18) NOT NULL, \`regionCode\` varchar(6) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_unit_path\` (\`path\`), UNIQUE INDEX \`uq_unit_credit_code\` (\`creditCode\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`user\` (\`id\` varchar(36) NOT NULL, \`username\` varchar(64) NOT NULL, \`displayName\` varchar(64) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'active', \`passwordHash\` varchar(255) NULL, \`mustChangePassword\` tinyint NOT NULL DEFAULT 0, \`passwordChangedAt\` datetime(6) NULL, \`failedLoginCount\` int NOT NULL DEFAULT '0', \`lockedUntil\` datetime(6) NULL, \`totpSecret\` varchar(255) NULL, \`totpEnabled\` tinyint NOT NULL DEFAULT 0, \`oidcIssuer\` varchar(255) NULL, \`oidcSubject\` varchar(255) NULL, \`lastLoginAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_user_username\` (\`username\`), UNIQUE INDEX \`uq_user_oidc\` (\`oidcIssuer\`, \`oidcSubject\`), INDEX \`idx_user_unit_path\` (\`unitPath\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`role_assignment\` (\`id\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`role\` varchar(32) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`level\` int NULL, \`grantedBy\` varchar(36) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_role_assignment_user\` (\`userId\`), INDEX \`idx_role_assignment_unit_path\` (\`unitPath\`), UNIQUE INDEX \`uq_role_assignment\` (\`userId\`, \`role\`, \`unitId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`session\` (\`id\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`tokenHash\` varchar(64) NOT NULL, \`generation\` int NOT NULL DEFAULT '1', \`method\` varchar(32) NOT NULL, \`restriction\` varchar(32) NULL, \`lastSeenAt\` datetime(6) NOT NULL, \`expiresAt\` datetime(6) NOT NULL, \`revokedAt\` datetime(6) NULL, \`revokedReason\` varchar(32) NULL, \`ip\` varchar(64) NULL, \`userAgent\` varchar(255) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_session_user\` (\`userId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`api_key\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`ownerId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`secretHash\` varchar(64) NOT NULL, \`grants\` text NOT NULL, \`expiresAt\` datetime(6) NULL, \`lastUsedAt\` datetime(6) NULL, \`revokedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_api_key_owner\` (\`ownerId\`), INDEX \`idx_api_key_unit_path\` (\`unitPath\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`password_history\` (\`id\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`passwordHash\` varchar(255) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_password_history_user\` (\`userId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`recovery_code\` (\`id\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`codeHash\` varchar(64) NOT NULL, \`usedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_recovery_code_user\` (\`userId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`oidc_login_state\` (\`id\` varchar(64) NOT NULL, \`nonce\` varchar(64) NOT NULL, \`codeVerifier\` varchar(128) NOT NULL, \`expiresAt\` datetime(6) NOT NULL, \`consumedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_oidc_login_state_expires\` (\`expiresAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`oidc_login_ticket\` (\`id\` varchar(64) NOT NULL, \`userId\` varchar(36) NOT NULL, \`expiresAt\` datetime(6) NOT NULL, \`usedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_oidc_login_ticket_expires\` (\`expiresAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`oidc_provider_record\` (\`model\` varchar(32) NOT NULL, \`id\` varchar(190) NOT NULL, \`payload\` text NOT NULL, \`grantId\` varchar(190) NULL, \`uid\` varchar(190) NULL, \`userCode\` varchar(190) NULL, \`expiresAt\` datetime(6) NULL, \`consumedAt\` datetime(6) NULL, INDEX \`idx_oidc_provider_record_grant\` (\`grantId\`), INDEX \`idx_oidc_provider_record_uid\` (\`uid\`), INDEX \`idx_oidc_provider_record_user_code\` (\`userCode\`), INDEX \`idx_oidc_provider_record_expires\` (\`expiresAt\`), PRIMARY KEY (\`model\`, \`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`oidc_signing_key\` (\`slot\` varchar(32) NOT NULL, \`kid\` varchar(64) NOT NULL, \`alg\` varchar(16) NOT NULL, \`sealedJwk\` text NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`slot\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`audit_entry\` (\`seq\` bigint NOT NULL, \`at\` datetime(6) NOT NULL, \`actorId\` varchar(36) NULL, \`actorName\` varchar(64) NULL, \`unitId\` varchar(36) NULL, \`unitPath\` varchar(400) NULL, \`action\` varchar(64) NOT NULL, \`targetType\` varchar(32) NULL, \`targetId\` varchar(64) NULL, \`result\` varchar(16) NOT NULL, \`before\` text NULL, \`after\` text NULL, \`ip\` varchar(64) NULL, \`requestId\` varchar(64) NULL, \`prevHash\` varchar(64) NOT NULL, \`hash\` varchar(64) NOT NULL, INDEX \`idx_audit_action\` (\`action\`), INDEX \`idx_audit_at\` (\`at\`), INDEX \`idx_audit_unit_path\` (\`unitPath\`, \`seq\`), PRIMARY KEY (\`seq\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`audit_head\` (\`id\` int NOT NULL, \`lastSeq\` bigint NOT NULL, \`lastHash\` varchar(64) NOT NULL, \`anchorSeq\` bigint NOT NULL, \`anchorHash\` varchar(64) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`job_record\` (\`id\` varchar(36) NOT NULL, \`queue\` varchar(64) NOT NULL, \`name\` varchar(64) NOT NULL, \`jobKey\` varchar(191) NOT NULL, \`payload\` text NOT NULL, \`state\` varchar(16) NOT NULL, \`runAt\` datetime(6) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`maxAttempts\` int NOT NULL DEFAULT '3', \`lastError\` text NULL, \`lockedBy\` varchar(64) NULL, \`lockedUntil\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_job_key\` (\`jobKey\`), INDEX \`idx_job_due\` (\`state\`, \`runAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`account\` (\`id\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`platform\` varchar(64) NOT NULL, \`name\` varchar(100) NOT NULL, \`platformAccountId\` varchar(128) NULL, \`profileName\` varchar(100) NULL, \`verifiedSubject\` varchar(200) NULL, \`avatarUrl\` varchar(500) NULL, \`followers\` int NULL, \`profileCheckedAt\` datetime(6) NULL, \`status\` varchar(16) NOT NULL, \`connection\` varchar(16) NOT NULL DEFAULT 'none', \`exceptionReason\` varchar(500) NULL, \`namingIssues\` text NULL, \`lastPostAt\` datetime(6) NULL, \`openedAt\` datetime(6) NULL, \`closedAt\` datetime(6) NULL, \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_account_unit_platform\` (\`unitId\`, \`platform\`), INDEX \`idx_account_unit_path\` (\`unitPath\`, \`platform\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`account_approval\` (\`id\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`requestedBy\` varchar(36) NOT NULL, \`reason\` varchar(500) NULL, \`exception\` tinyint NOT NULL DEFAULT 0, \`decision\` varchar(16) NOT NULL, \`decidedBy\` varchar(36) NULL, \`decidedAt\` datetime(6) NULL, \`comment\` varchar(500) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_account_approval_account\` (\`accountId\`), INDEX \`idx_account_approval_unit_path\` (\`unitPath\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`filing\` (\`id\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`kind\` varchar(16) NOT NULL, \`details\` text NOT NULL, \`effectiveAt\` datetime(6) NOT NULL, \`dueAt\` datetime(6) NOT NULL, \`filedAt\` datetime(6) NULL, \`late\` tinyint NOT NULL DEFAULT 0, \`filedBy\` varchar(36) NULL, \`reference\` varchar(200) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_filing_account\` (\`accountId\`), INDEX \`idx_filing_unit_path_due\` (\`unitPath\`, \`dueAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`account_credential\` (\`accountId\` varchar(36) NOT NULL, \`keyId\` varchar(32) NOT NULL, \`algorithm\` varchar(32) NOT NULL, \`sealed\` text NOT NULL, \`expiresAt\` datetime(6) NULL, \`refreshAt\` datetime(6) NULL, \`refreshFailures\` int NOT NULL DEFAULT '0', \`version\` int NOT NULL DEFAULT '1', \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`accountId\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`manuscript\` (\`id\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`authorId\` varchar(36) NOT NULL, \`title\` varchar(200) NOT NULL, \`category\` varchar(16) NOT NULL, \`status\` varchar(16) NOT NULL, \`currentVersionId\` varchar(36) NOT NULL, \`currentVersionNumber\` int NOT NULL, \`approvedVersionId\` varchar(36) NULL, \`chain\` text NULL, \`approvedSteps\` text NULL, \`submittedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`revision\` int NOT NULL, INDEX \`idx_manuscript_author\` (\`authorId\`), INDEX \`idx_manuscript_status\` (\`status\`, \`unitPath\`), INDEX \`idx_manuscript_unit_path\` (\`unitPath\`, \`updatedAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`manuscript_version\` (\`id\` varchar(36) NOT NULL, \`manuscriptId\` varchar(36) NOT NULL, \`number\` int NOT NULL, \`title\` varchar(200) NOT NULL, \`summary\` varchar(1000) NOT NULL, \`bodyHtml\` text NOT NULL, \`category\` varchar(16) NOT NULL, \`source\` text NOT NULL, \`coverMediaId\` varchar(36) NULL, \`mediaIds\` text NOT NULL, \`authorId\` varchar(36) NOT NULL, \`contentHash\` varchar(64) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_manuscript_version\` (\`manuscriptId\`, \`number\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`review_chain\` (\`id\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`category\` varchar(16) NOT NULL, \`steps\` text NOT NULL, \`parallel\` tinyint NOT NULL DEFAULT 0, \`updatedBy\` varchar(36) NOT NULL, \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_review_chain\` (\`unitId\`, \`category\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`review_decision\` (\`id\` varchar(36) NOT NULL, \`manuscriptId\` varchar(36) NOT NULL, \`versionId\` varchar(36) NOT NULL, \`step\` int NOT NULL, \`level\` int NOT NULL, \`reviewerId\` varchar(36) NOT NULL, \`decision\` varchar(16) NOT NULL, \`comment\` varchar(2000) NULL, \`acknowledged\` text NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_review_decision_step\` (\`versionId\`, \`step\`), INDEX \`idx_review_decision_manuscript\` (\`manuscriptId\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_review_decision_manuscript\` ON \`review_decision\``);
    await q.query(`DROP INDEX \`uq_review_decision_step\` ON \`review_decision\``);
    await q.query(`DROP TABLE \`review_decision\``);
    await q.query(`DROP INDEX \`uq_review_chain\` ON \`review_chain\``);
    await q.query(`DROP TABLE \`review_chain\``);
    await q.query(`DROP INDEX \`uq_manuscript_version\` ON \`manuscript_version\``);
    await q.query(`DROP TABLE \`manuscript_version\``);
    await q.query(`DROP INDEX \`idx_manuscript_unit_path\` ON \`manuscript\``);
    await q.query(`DROP INDEX \`idx_manuscript_status\` ON \`manuscript\``);
    await q.query(`DROP INDEX \`idx_manuscript_author\` ON \`manuscript\``);
    await q.query(`DROP TABLE \`manuscript\``);
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
    await q.query(`DROP INDEX \`idx_job_due\` ON \`job_record\``);
    await q.query(`DROP INDEX \`uq_job_key\` ON \`job_record\``);
    await q.query(`DROP TABLE \`job_record\``);
    await q.query(`DROP TABLE \`audit_head\``);
    await q.query(`DROP INDEX \`idx_audit_unit_path\` ON \`audit_entry\``);
    await q.query(`DROP INDEX \`idx_audit_at\` ON \`audit_entry\``);
    await q.query(`DROP INDEX \`idx_audit_action\` ON \`audit_entry\``);
    await q.query(`DROP TABLE \`audit_entry\``);
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
    await q.query(`DROP INDEX \`idx_recovery_code_user\` ON \`recovery_code\``);
    await q.query(`DROP TABLE \`recovery_code\``);
    await q.query(`DROP INDEX \`idx_password_history_user\` ON \`password_history\``);
    await q.query(`DROP TABLE \`password_history\``);
    await q.query(`DROP INDEX \`idx_api_key_unit_path\` ON \`api_key\``);
    await q.query(`DROP INDEX \`idx_api_key_owner\` ON \`api_key\``);
    await q.query(`DROP TABLE \`api_key\``);
    await q.query(`DROP INDEX \`idx_session_user\` ON \`session\``);
    await q.query(`DROP TABLE \`session\``);
    await q.query(`DROP INDEX \`uq_role_assignment\` ON \`role_assignment\``);
    await q.query(`DROP INDEX \`idx_role_assignment_unit_path\` ON \`role_assignment\``);
    await q.query(`DROP INDEX \`idx_role_assignment_user\` ON \`role_assignment\``);
    await q.query(`DROP TABLE \`role_assignment\``);
    await q.query(`DROP INDEX \`idx_user_unit_path\` ON \`user\``);
    await q.query(`DROP INDEX \`uq_user_oidc\` ON \`user\``);
    await q.query(`DROP INDEX \`uq_user_username\` ON \`user\``);
    await q.query(`DROP TABLE \`user\``);
    await q.query(`DROP INDEX \`uq_unit_credit_code\` ON \`unit\``);
    await q.query(`DROP INDEX \`idx_unit_path\` ON \`unit\``);
    await q.query(`DROP TABLE \`unit\``);
  }
}
