import { MigrationInterface, QueryRunner } from 'typeorm';

export class OidcSso1795457948385 implements MigrationInterface {
  name = 'OidcSso1795457948385';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "oidc_login_state" ("id" varchar(64) PRIMARY KEY NOT NULL, "nonce" varchar(64) NOT NULL, "codeVerifier" varchar(128) NOT NULL, "expiresAt" datetime(3) NOT NULL, "consumedAt" datetime(3), "createdAt" datetime(3) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_oidc_login_state_expires" ON "oidc_login_state" ("expiresAt") `);
    await q.query(`CREATE TABLE "oidc_login_ticket" ("id" varchar(64) PRIMARY KEY NOT NULL, "userId" varchar(36) NOT NULL, "expiresAt" datetime(3) NOT NULL, "usedAt" datetime(3), "createdAt" datetime(3) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_oidc_login_ticket_expires" ON "oidc_login_ticket" ("expiresAt") `);
    await q.query(`CREATE TABLE "oidc_provider_record" ("model" varchar(32) NOT NULL, "id" varchar(190) NOT NULL, "payload" text NOT NULL, "grantId" varchar(190), "uid" varchar(190), "userCode" varchar(190), "expiresAt" datetime(3), "consumedAt" datetime(3), PRIMARY KEY ("model", "id"))`);
    await q.query(`CREATE INDEX "idx_oidc_provider_record_grant" ON "oidc_provider_record" ("grantId") `);
    await q.query(`CREATE INDEX "idx_oidc_provider_record_uid" ON "oidc_provider_record" ("uid") `);
    await q.query(`CREATE INDEX "idx_oidc_provider_record_user_code" ON "oidc_provider_record" ("userCode") `);
    await q.query(`CREATE INDEX "idx_oidc_provider_record_expires" ON "oidc_provider_record" ("expiresAt") `);
    await q.query(`CREATE TABLE "oidc_signing_key" ("slot" varchar(32) PRIMARY KEY NOT NULL, "kid" varchar(64) NOT NULL, "alg" varchar(16) NOT NULL, "sealedJwk" text NOT NULL, "createdAt" datetime(3) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE UNIQUE INDEX "uq_user_oidc" ON "user" ("oidcIssuer", "oidcSubject") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_user_oidc"`);
    await q.query(`DROP TABLE "oidc_signing_key"`);
    await q.query(`DROP INDEX "idx_oidc_provider_record_expires"`);
    await q.query(`DROP INDEX "idx_oidc_provider_record_user_code"`);
    await q.query(`DROP INDEX "idx_oidc_provider_record_uid"`);
    await q.query(`DROP INDEX "idx_oidc_provider_record_grant"`);
    await q.query(`DROP TABLE "oidc_provider_record"`);
    await q.query(`DROP INDEX "idx_oidc_login_ticket_expires"`);
    await q.query(`DROP TABLE "oidc_login_ticket"`);
    await q.query(`DROP INDEX "idx_oidc_login_state_expires"`);
    await q.query(`DROP TABLE "oidc_login_state"`);
  }
}
