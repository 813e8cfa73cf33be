import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityHardening1796534665947 implements MigrationInterface {
  name = 'IdentityHardening1796534665947';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "system_flag" ("name" varchar(64) PRIMARY KEY NOT NULL, "setAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    // An installation that already has a security admin has had one: the bootstrap grant power is over.
    await q.query(`INSERT INTO "system_flag" ("name") SELECT 'security_admin_granted' WHERE EXISTS (SELECT 1 FROM "role_assignment" WHERE "role" = 'security_admin')`);
    await q.query(`DROP INDEX "idx_user_unit_path"`);
    await q.query(`DROP INDEX "uq_user_oidc"`);
    await q.query(`DROP INDEX "uq_user_username"`);
    await q.query(`CREATE TABLE "temporary_user" ("id" varchar(36) PRIMARY KEY NOT NULL, "username" varchar(64) NOT NULL, "displayName" varchar(64) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "status" varchar(16) NOT NULL DEFAULT ('active'), "passwordHash" varchar(255), "mustChangePassword" boolean NOT NULL DEFAULT (0), "passwordChangedAt" datetime(6), "failedLoginCount" integer NOT NULL DEFAULT (0), "lockedUntil" datetime(6), "totpSecret" varchar(255), "totpEnabled" boolean NOT NULL DEFAULT (0), "oidcIssuer" varchar(255), "oidcSubject" varchar(255), "lastLoginAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "totpLastStep" integer)`);
    await q.query(`INSERT INTO "temporary_user"("id", "username", "displayName", "unitId", "unitPath", "status", "passwordHash", "mustChangePassword", "passwordChangedAt", "failedLoginCount", "lockedUntil", "totpSecret", "totpEnabled", "oidcIssuer", "oidcSubject", "lastLoginAt", "createdAt", "updatedAt") SELECT "id", "username", "displayName", "unitId", "unitPath", "status", "passwordHash", "mustChangePassword", "passwordChangedAt", "failedLoginCount", "lockedUntil", "totpSecret", "totpEnabled", "oidcIssuer", "oidcSubject", "lastLoginAt", "createdAt", "updatedAt" FROM "user"`);
    await q.query(`DROP TABLE "user"`);
    await q.query(`ALTER TABLE "temporary_user" RENAME TO "user"`);
    await q.query(`CREATE INDEX "idx_user_unit_path" ON "user" ("unitPath", "id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_user_oidc" ON "user" ("oidcIssuer", "oidcSubject") `);
    await q.query(`CREATE UNIQUE INDEX "uq_user_username" ON "user" ("username") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_user_username"`);
    await q.query(`DROP INDEX "uq_user_oidc"`);
    await q.query(`DROP INDEX "idx_user_unit_path"`);
    await q.query(`ALTER TABLE "user" RENAME TO "temporary_user"`);
    await q.query(`CREATE TABLE "user" ("id" varchar(36) PRIMARY KEY NOT NULL, "username" varchar(64) NOT NULL, "displayName" varchar(64) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "status" varchar(16) NOT NULL DEFAULT ('active'), "passwordHash" varchar(255), "mustChangePassword" boolean NOT NULL DEFAULT (0), "passwordChangedAt" datetime(6), "failedLoginCount" integer NOT NULL DEFAULT (0), "lockedUntil" datetime(6), "totpSecret" varchar(255), "totpEnabled" boolean NOT NULL DEFAULT (0), "oidcIssuer" varchar(255), "oidcSubject" varchar(255), "lastLoginAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`INSERT INTO "user"("id", "username", "displayName", "unitId", "unitPath", "status", "passwordHash", "mustChangePassword", "passwordChangedAt", "failedLoginCount", "lockedUntil", "totpSecret", "totpEnabled", "oidcIssuer", "oidcSubject", "lastLoginAt", "createdAt", "updatedAt") SELECT "id", "username", "displayName", "unitId", "unitPath", "status", "passwordHash", "mustChangePassword", "passwordChangedAt", "failedLoginCount", "lockedUntil", "totpSecret", "totpEnabled", "oidcIssuer", "oidcSubject", "lastLoginAt", "createdAt", "updatedAt" FROM "temporary_user"`);
    await q.query(`DROP TABLE "temporary_user"`);
    await q.query(`CREATE UNIQUE INDEX "uq_user_username" ON "user" ("username") `);
    await q.query(`CREATE UNIQUE INDEX "uq_user_oidc" ON "user" ("oidcIssuer", "oidcSubject") `);
    await q.query(`CREATE INDEX "idx_user_unit_path" ON "user" ("unitPath", "id") `);
    await q.query(`DROP TABLE "system_flag"`);
  }
}
