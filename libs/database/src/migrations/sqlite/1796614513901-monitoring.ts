import { MigrationInterface, QueryRunner } from 'typeorm';

export class Monitoring1796614513901 implements MigrationInterface {
  name = 'Monitoring1796614513901';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "monitoring_activity_day" ("accountId" varchar(36) NOT NULL, "day" varchar(10) NOT NULL, "days" smallint NOT NULL DEFAULT (1), "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "platform" varchar(64) NOT NULL, "postsTongfa" integer NOT NULL DEFAULT (0), "postsNative" integer NOT NULL DEFAULT (0), "lastPostAt" datetime(6), "lastPostUrl" varchar(1000), "lastPostSource" varchar(8), "followers" integer, "reads" integer, "likes" integer, "comments" integer, PRIMARY KEY ("accountId", "day"))`);
    await q.query(`CREATE INDEX "idx_activity_day_unit_path" ON "monitoring_activity_day" ("unitPath", "day") `);
    await q.query(`CREATE TABLE "monitoring_account" ("accountId" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "platform" varchar(64) NOT NULL, "lastPostAt" datetime(6), "lastPostUrl" varchar(1000), "lastPostSource" varchar(8), "silentDays" integer NOT NULL DEFAULT (0), "postsLast7Days" integer NOT NULL DEFAULT (0), "worstState" varchar(8) NOT NULL DEFAULT ('unknown'), "riskRank" smallint NOT NULL DEFAULT (1), "rolledUpAt" datetime(6), "countedUntil" datetime(6), "nextRollupAt" datetime(6), "listError" varchar(500))`);
    await q.query(`CREATE INDEX "idx_monitoring_account_due" ON "monitoring_account" ("nextRollupAt") `);
    await q.query(`CREATE INDEX "idx_monitoring_account_risk" ON "monitoring_account" ("unitPath", "riskRank", "silentDays") `);
    await q.query(`CREATE TABLE "monitoring_rule_state" ("accountId" varchar(36) NOT NULL, "ruleId" varchar(64) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "state" varchar(8) NOT NULL, "step" integer, "since" datetime(6) NOT NULL, "evidence" text NOT NULL, "ruleSet" varchar(64) NOT NULL, "ruleSetVersion" varchar(32) NOT NULL, "evaluatedAt" datetime(6) NOT NULL, PRIMARY KEY ("accountId", "ruleId"))`);
    await q.query(`CREATE INDEX "idx_rule_state_rule" ON "monitoring_rule_state" ("ruleId", "state", "unitPath") `);
    await q.query(`CREATE INDEX "idx_target_account_published" ON "publication_target" ("accountId", "publishedAt") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_target_account_published"`);
    await q.query(`DROP INDEX "idx_rule_state_rule"`);
    await q.query(`DROP TABLE "monitoring_rule_state"`);
    await q.query(`DROP INDEX "idx_monitoring_account_risk"`);
    await q.query(`DROP INDEX "idx_monitoring_account_due"`);
    await q.query(`DROP TABLE "monitoring_account"`);
    await q.query(`DROP INDEX "idx_activity_day_unit_path"`);
    await q.query(`DROP TABLE "monitoring_activity_day"`);
  }
}
