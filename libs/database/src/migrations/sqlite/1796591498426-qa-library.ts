import { MigrationInterface, QueryRunner } from 'typeorm';
import { seedQaLibrary } from '../qa-library-seed';

export class QaLibrary1796591498426 implements MigrationInterface {
  name = 'QaLibrary1796591498426';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "qa_entry" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "status" varchar(16) NOT NULL, "question" varchar(300) NOT NULL, "categoryId" varchar(36), "overridesEntryId" varchar(36), "currentVersionId" varchar(36) NOT NULL, "currentVersionNumber" integer NOT NULL, "liveVersionId" varchar(36), "liveUntil" datetime(6), "expiryRemindedAt" datetime(6), "needsReview" boolean NOT NULL DEFAULT (0), "authorId" varchar(36) NOT NULL, "chain" text, "approvedSteps" text, "submittedAt" datetime(6), "lastDecision" varchar(16), "searchSeq" integer NOT NULL DEFAULT (0), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "revision" integer NOT NULL)`);
    await q.query(`CREATE INDEX "idx_qa_entry_category" ON "qa_entry" ("categoryId") `);
    await q.query(`CREATE INDEX "idx_qa_entry_overrides" ON "qa_entry" ("overridesEntryId") `);
    await q.query(`CREATE INDEX "idx_qa_entry_live_until" ON "qa_entry" ("liveUntil") `);
    await q.query(`CREATE INDEX "idx_qa_entry_search_seq" ON "qa_entry" ("searchSeq") `);
    await q.query(`CREATE INDEX "idx_qa_entry_status" ON "qa_entry" ("status", "unitPath") `);
    await q.query(`CREATE INDEX "idx_qa_entry_unit_path" ON "qa_entry" ("unitPath", "updatedAt") `);
    await q.query(`CREATE TABLE "qa_entry_version" ("id" varchar(36) PRIMARY KEY NOT NULL, "entryId" varchar(36) NOT NULL, "number" integer NOT NULL, "question" varchar(300) NOT NULL, "similarQuestions" text NOT NULL, "answerHtml" text NOT NULL, "channelAnswers" text NOT NULL, "categoryId" varchar(36), "keywords" text NOT NULL, "policyBasis" text NOT NULL, "effectiveFrom" datetime(6), "effectiveUntil" datetime(6), "overridesEntryId" varchar(36), "internalNote" varchar(2000), "authorId" varchar(36) NOT NULL, "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE UNIQUE INDEX "uq_qa_entry_version" ON "qa_entry_version" ("entryId", "number") `);
    await q.query(`CREATE TABLE "qa_review_decision" ("id" varchar(36) PRIMARY KEY NOT NULL, "entryId" varchar(36) NOT NULL, "versionId" varchar(36) NOT NULL, "step" integer NOT NULL, "level" integer NOT NULL, "reviewerId" varchar(36) NOT NULL, "decision" varchar(16) NOT NULL, "comment" varchar(2000), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE UNIQUE INDEX "uq_qa_review_decision_step" ON "qa_review_decision" ("versionId", "step") `);
    await q.query(`CREATE INDEX "idx_qa_review_decision_entry" ON "qa_review_decision" ("entryId", "createdAt") `);
    await q.query(`CREATE TABLE "qa_category" ("id" varchar(36) PRIMARY KEY NOT NULL, "parentId" varchar(36), "name" varchar(60) NOT NULL, "pathName" varchar(400) NOT NULL, "sortOrder" integer NOT NULL DEFAULT (0), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE UNIQUE INDEX "uq_qa_category_name" ON "qa_category" ("parentId", "name") `);
    await q.query(`CREATE TABLE "qa_query_log" ("id" varchar(36) PRIMARY KEY NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "askedUnitId" varchar(36) NOT NULL, "channel" varchar(16), "userId" varchar(36), "apiKeyId" varchar(36), "maskedText" varchar(1000) NOT NULL, "normalizedText" varchar(1000) NOT NULL, "results" text NOT NULL, "topScore" float, "answered" boolean NOT NULL, "helpful" boolean, "feedbackEntryId" varchar(36), "gap" boolean NOT NULL, "resolvedByEntryId" varchar(36), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE INDEX "idx_qa_query_log_gap" ON "qa_query_log" ("gap", "unitPath") `);
    await q.query(`CREATE INDEX "idx_qa_query_log_unit_path" ON "qa_query_log" ("unitPath", "createdAt") `);
    await q.query(`CREATE TABLE "qa_synonym" ("id" varchar(36) PRIMARY KEY NOT NULL, "terms" text NOT NULL, "sortOrder" integer NOT NULL, "updatedBy" varchar(36), "updatedAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE TABLE "qa_policy_document" ("id" varchar(36) PRIMARY KEY NOT NULL, "title" varchar(300) NOT NULL, "docNumber" varchar(100), "url" varchar(500), "citationKey" varchar(300) NOT NULL, "repealed" boolean NOT NULL DEFAULT (0), "repealedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`CREATE UNIQUE INDEX "uq_qa_policy_document_key" ON "qa_policy_document" ("citationKey") `);
    await q.query(`CREATE TABLE "qa_policy_citation" ("entryId" varchar(36) NOT NULL, "documentId" varchar(36) NOT NULL, PRIMARY KEY ("entryId", "documentId"))`);
    await q.query(`CREATE INDEX "idx_qa_policy_citation_document" ON "qa_policy_citation" ("documentId") `);
    await q.query(`CREATE TABLE "qa_sequence" ("name" varchar(32) PRIMARY KEY NOT NULL, "value" integer NOT NULL)`);
    await q.query(`DROP INDEX "idx_api_key_unit_path"`);
    await q.query(`DROP INDEX "idx_api_key_owner"`);
    await q.query(`CREATE TABLE "temporary_api_key" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "ownerId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "secretHash" varchar(64) NOT NULL, "grants" text NOT NULL, "expiresAt" datetime(6), "lastUsedAt" datetime(6), "revokedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')), "scopes" text, "allowedOrigins" text)`);
    await q.query(`INSERT INTO "temporary_api_key"("id", "name", "ownerId", "unitId", "unitPath", "secretHash", "grants", "expiresAt", "lastUsedAt", "revokedAt", "createdAt") SELECT "id", "name", "ownerId", "unitId", "unitPath", "secretHash", "grants", "expiresAt", "lastUsedAt", "revokedAt", "createdAt" FROM "api_key"`);
    await q.query(`DROP TABLE "api_key"`);
    await q.query(`ALTER TABLE "temporary_api_key" RENAME TO "api_key"`);
    await q.query(`CREATE INDEX "idx_api_key_unit_path" ON "api_key" ("unitPath") `);
    await q.query(`CREATE INDEX "idx_api_key_owner" ON "api_key" ("ownerId") `);
    await seedQaLibrary(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_api_key_owner"`);
    await q.query(`DROP INDEX "idx_api_key_unit_path"`);
    await q.query(`ALTER TABLE "api_key" RENAME TO "temporary_api_key"`);
    await q.query(`CREATE TABLE "api_key" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "ownerId" varchar(36) NOT NULL, "unitId" varchar(36) NOT NULL, "unitPath" varchar(400) NOT NULL, "secretHash" varchar(64) NOT NULL, "grants" text NOT NULL, "expiresAt" datetime(6), "lastUsedAt" datetime(6), "revokedAt" datetime(6), "createdAt" datetime(6) NOT NULL DEFAULT (datetime('now')))`);
    await q.query(`INSERT INTO "api_key"("id", "name", "ownerId", "unitId", "unitPath", "secretHash", "grants", "expiresAt", "lastUsedAt", "revokedAt", "createdAt") SELECT "id", "name", "ownerId", "unitId", "unitPath", "secretHash", "grants", "expiresAt", "lastUsedAt", "revokedAt", "createdAt" FROM "temporary_api_key"`);
    await q.query(`DROP TABLE "temporary_api_key"`);
    await q.query(`CREATE INDEX "idx_api_key_owner" ON "api_key" ("ownerId") `);
    await q.query(`CREATE INDEX "idx_api_key_unit_path" ON "api_key" ("unitPath") `);
    await q.query(`DROP TABLE "qa_sequence"`);
    await q.query(`DROP INDEX "idx_qa_policy_citation_document"`);
    await q.query(`DROP TABLE "qa_policy_citation"`);
    await q.query(`DROP INDEX "uq_qa_policy_document_key"`);
    await q.query(`DROP TABLE "qa_policy_document"`);
    await q.query(`DROP TABLE "qa_synonym"`);
    await q.query(`DROP INDEX "idx_qa_query_log_unit_path"`);
    await q.query(`DROP INDEX "idx_qa_query_log_gap"`);
    await q.query(`DROP TABLE "qa_query_log"`);
    await q.query(`DROP INDEX "uq_qa_category_name"`);
    await q.query(`DROP TABLE "qa_category"`);
    await q.query(`DROP INDEX "idx_qa_review_decision_entry"`);
    await q.query(`DROP INDEX "uq_qa_review_decision_step"`);
    await q.query(`DROP TABLE "qa_review_decision"`);
    await q.query(`DROP INDEX "uq_qa_entry_version"`);
    await q.query(`DROP TABLE "qa_entry_version"`);
    await q.query(`DROP INDEX "idx_qa_entry_unit_path"`);
    await q.query(`DROP INDEX "idx_qa_entry_status"`);
    await q.query(`DROP INDEX "idx_qa_entry_search_seq"`);
    await q.query(`DROP INDEX "idx_qa_entry_live_until"`);
    await q.query(`DROP INDEX "idx_qa_entry_overrides"`);
    await q.query(`DROP INDEX "idx_qa_entry_category"`);
    await q.query(`DROP TABLE "qa_entry"`);
  }
}
