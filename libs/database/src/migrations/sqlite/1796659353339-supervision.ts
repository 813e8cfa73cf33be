import { MigrationInterface, QueryRunner } from 'typeorm';

export class Supervision1796659353339 implements MigrationInterface {
  name = 'Supervision1796659353339';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "supervision_round" ("id" varchar(36) PRIMARY KEY NOT NULL, "rootUnitId" varchar(36) NOT NULL, "rootUnitPath" varchar(400) NOT NULL, "period" varchar(8) NOT NULL, "ratio" float NOT NULL, "minRatio" float NOT NULL, "ruleSet" varchar(64) NOT NULL, "ruleSetVersion" varchar(32) NOT NULL, "seed" varchar(64) NOT NULL, "algorithm" varchar(64) NOT NULL, "population" integer NOT NULL, "sampled" integer NOT NULL, "strata" text NOT NULL, "requirements" text NOT NULL, "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL, "updatedAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE INDEX "idx_supervision_round_root" ON "supervision_round" ("rootUnitPath", "createdAt") `);
    await q.query(`CREATE TABLE "supervision_sample" ("roundId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "drawn" boolean NOT NULL, "accountName" varchar(100) NOT NULL, "platform" varchar(64) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "unitName" varchar(100) NOT NULL, "unitLevel" varchar(16) NOT NULL, "pageUrl" varchar(1000), "snapshotState" varchar(8) NOT NULL, "snapshotMediaId" varchar(36), "snapshotAt" datetime(6), "snapshotAttempts" integer NOT NULL DEFAULT (0), "nextSnapshotAt" datetime(6), "snapshotError" varchar(500), PRIMARY KEY ("roundId", "accountId"))`);
    await q.query(`CREATE INDEX "idx_supervision_sample_round" ON "supervision_sample" ("roundId", "drawn", "unitPath") `);
    await q.query(`CREATE INDEX "idx_supervision_sample_snapshot" ON "supervision_sample" ("snapshotState", "nextSnapshotAt") `);
    await q.query(`CREATE TABLE "supervision_finding" ("id" varchar(36) PRIMARY KEY NOT NULL, "roundId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "item" varchar(64) NOT NULL, "result" varchar(8) NOT NULL, "source" varchar(16) NOT NULL, "note" varchar(1000) NOT NULL, "evidence" text NOT NULL, "decidedBy" varchar(36), "decidedAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX "uq_supervision_finding_item" ON "supervision_finding" ("roundId", "accountId", "item") `);
    await q.query(`CREATE TABLE "supervision_rectification" ("id" varchar(36) PRIMARY KEY NOT NULL, "roundId" varchar(36) NOT NULL, "findingId" varchar(36) NOT NULL, "accountId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "item" varchar(64) NOT NULL, "problem" varchar(1000) NOT NULL, "state" varchar(12) NOT NULL, "deadline" datetime(6) NOT NULL, "responseText" text, "responseEvidence" text, "respondedAt" datetime(6), "respondedBy" varchar(36), "answeredLate" boolean NOT NULL DEFAULT (0), "reviewedAt" datetime(6), "reviewedBy" varchar(36), "reviewNote" varchar(1000), "reopened" integer NOT NULL DEFAULT (0), "overdueAlertedAt" datetime(6), "createdBy" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX "uq_rectification_finding" ON "supervision_rectification" ("findingId") `);
    await q.query(`CREATE INDEX "idx_rectification_due" ON "supervision_rectification" ("state", "deadline") `);
    await q.query(`CREATE INDEX "idx_rectification_unit" ON "supervision_rectification" ("unitPath", "state") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_rectification_unit"`);
    await q.query(`DROP INDEX "idx_rectification_due"`);
    await q.query(`DROP INDEX "uq_rectification_finding"`);
    await q.query(`DROP TABLE "supervision_rectification"`);
    await q.query(`DROP INDEX "uq_supervision_finding_item"`);
    await q.query(`DROP TABLE "supervision_finding"`);
    await q.query(`DROP INDEX "idx_supervision_sample_snapshot"`);
    await q.query(`DROP INDEX "idx_supervision_sample_round"`);
    await q.query(`DROP TABLE "supervision_sample"`);
    await q.query(`DROP INDEX "idx_supervision_round_root"`);
    await q.query(`DROP TABLE "supervision_round"`);
  }
}
