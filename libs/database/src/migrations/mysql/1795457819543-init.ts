import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795457819543 implements MigrationInterface {
  name = 'Init1795457819543';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`unit\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`level\` varchar(16) NOT NULL, \`parentId\` varchar(36) NULL, \`path\` varchar(400) NOT NULL, \`depth\` int NOT NULL, \`creditCode\` varchar(18) NOT NULL, \`regionCode\` varchar(6) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_unit_path\` (\`path\`), UNIQUE INDEX \`uq_unit_credit_code\` (\`creditCode\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`user\` (\`id\` varchar(36) NOT NULL, \`username\` varchar(64) NOT NULL, \`displayName\` varchar(64) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'active', \`passwordHash\` varchar(255) NULL, \`mustChangePassword\` tinyint NOT NULL DEFAULT 0, \`passwordChangedAt\` datetime(6) NULL, \`failedLoginCount\` int NOT NULL DEFAULT '0', \`lockedUntil\` datetime(6) NULL, \`totpSecret\` varchar(255) NULL, \`totpEnabled\` tinyint NOT NULL DEFAULT 0, \`oidcIssuer\` varchar(255) NULL, \`oidcSubject\` varchar(255) NULL, \`lastLoginAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_user_username\` (\`username\`), INDEX \`idx_user_unit_path\` (\`unitPath\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`role_assignment\` (\`id\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`role\` varchar(32) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`level\` int NULL, \`grantedBy\` varchar(36) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_role_assignment_user\` (\`userId\`), INDEX \`idx_role_assignment_unit_path\` (\`unitPath\`), UNIQUE INDEX \`uq_role_assignment\` (\`userId\`, \`role\`, \`unitId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`session\` (\`id\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`tokenHash\` varchar(64) NOT NULL, \`generation\` int NOT NULL DEFAULT '1', \`method\` varchar(32) NOT NULL, \`restriction\` varchar(32) NULL, \`lastSeenAt\` datetime(6) NOT NULL, \`expiresAt\` datetime(6) NOT NULL, \`revokedAt\` datetime(6) NULL, \`revokedReason\` varchar(32) NULL, \`ip\` varchar(64) NULL, \`userAgent\` varchar(255) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_session_user\` (\`userId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`api_key\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`ownerId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) NOT NULL, \`secretHash\` varchar(64) NOT NULL, \`grants\` text NOT NULL, \`expiresAt\` datetime(6) NULL, \`lastUsedAt\` datetime(6) NULL, \`revokedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_api_key_owner\` (\`ownerId\`), INDEX \`idx_api_key_unit_path\` (\`unitPath\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`password_history\` (\`id\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`passwordHash\` varchar(255) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_password_history_user\` (\`userId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`recovery_code\` (\`id\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`codeHash\` varchar(64) NOT NULL, \`usedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_recovery_code_user\` (\`userId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`audit_entry\` (\`seq\` bigint NOT NULL, \`at\` datetime(6) NOT NULL, \`actorId\` varchar(36) NULL, \`actorName\` varchar(64) NULL, \`unitId\` varchar(36) NULL, \`unitPath\` varchar(400) NULL, \`action\` varchar(64) NOT NULL, \`targetType\` varchar(32) NULL, \`targetId\` varchar(64) NULL, \`result\` varchar(16) NOT NULL, \`before\` text NULL, \`after\` text NULL, \`ip\` varchar(64) NULL, \`requestId\` varchar(64) NULL, \`prevHash\` varchar(64) NOT NULL, \`hash\` varchar(64) NOT NULL, INDEX \`idx_audit_action\` (\`action\`), INDEX \`idx_audit_at\` (\`at\`), INDEX \`idx_audit_unit_path\` (\`unitPath\`, \`seq\`), PRIMARY KEY (\`seq\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`audit_head\` (\`id\` int NOT NULL, \`lastSeq\` bigint NOT NULL, \`lastHash\` varchar(64) NOT NULL, \`anchorSeq\` bigint NOT NULL, \`anchorHash\` varchar(64) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`job_record\` (\`id\` varchar(36) NOT NULL, \`queue\` varchar(64) NOT NULL, \`name\` varchar(64) NOT NULL, \`jobKey\` varchar(191) NOT NULL, \`payload\` text NOT NULL, \`state\` varchar(16) NOT NULL, \`runAt\` datetime(6) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`maxAttempts\` int NOT NULL DEFAULT '3', \`lastError\` text NULL, \`lockedBy\` varchar(64) NULL, \`lockedUntil\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_job_key\` (\`jobKey\`), INDEX \`idx_job_due\` (\`state\`, \`runAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_job_due\` ON \`job_record\``);
    await q.query(`DROP INDEX \`uq_job_key\` ON \`job_record\``);
    await q.query(`DROP TABLE \`job_record\``);
    await q.query(`DROP TABLE \`audit_head\``);
    await q.query(`DROP INDEX \`idx_audit_unit_path\` ON \`audit_entry\``);
    await q.query(`DROP INDEX \`idx_audit_at\` ON \`audit_entry\``);
    await q.query(`DROP INDEX \`idx_audit_action\` ON \`audit_entry\``);
    await q.query(`DROP TABLE \`audit_entry\``);
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
    await q.query(`DROP INDEX \`uq_user_username\` ON \`user\``);
    await q.query(`DROP TABLE \`user\``);
    await q.query(`DROP INDEX \`uq_unit_credit_code\` ON \`unit\``);
    await q.query(`DROP INDEX \`idx_unit_path\` ON \`unit\``);
    await q.query(`DROP TABLE \`unit\``);
  }
}
