import { MigrationInterface, QueryRunner } from 'typeorm';
import { seedQaLibrary } from '../qa-library-seed';

export class QaLibrary1796591498340 implements MigrationInterface {
  name = 'QaLibrary1796591498340';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`qa_entry\` (\`id\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`status\` varchar(16) NOT NULL, \`question\` varchar(300) NOT NULL, \`categoryId\` varchar(36) NULL, \`overridesEntryId\` varchar(36) NULL, \`currentVersionId\` varchar(36) NOT NULL, \`currentVersionNumber\` int NOT NULL, \`liveVersionId\` varchar(36) NULL, \`liveUntil\` datetime(6) NULL, \`expiryRemindedAt\` datetime(6) NULL, \`needsReview\` tinyint NOT NULL DEFAULT 0, \`authorId\` varchar(36) NOT NULL, \`chain\` text NULL, \`approvedSteps\` text NULL, \`submittedAt\` datetime(6) NULL, \`lastDecision\` varchar(16) NULL, \`searchSeq\` int NOT NULL DEFAULT '0', \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`revision\` int NOT NULL, INDEX \`idx_qa_entry_category\` (\`categoryId\`), INDEX \`idx_qa_entry_overrides\` (\`overridesEntryId\`), INDEX \`idx_qa_entry_live_until\` (\`liveUntil\`), INDEX \`idx_qa_entry_search_seq\` (\`searchSeq\`), INDEX \`idx_qa_entry_status\` (\`status\`, \`unitPath\`), INDEX \`idx_qa_entry_unit_path\` (\`unitPath\`, \`updatedAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`qa_entry_version\` (\`id\` varchar(36) NOT NULL, \`entryId\` varchar(36) NOT NULL, \`number\` int NOT NULL, \`question\` varchar(300) NOT NULL, \`similarQuestions\` text NOT NULL, \`answerHtml\` text NOT NULL, \`channelAnswers\` text NOT NULL, \`categoryId\` varchar(36) NULL, \`keywords\` text NOT NULL, \`policyBasis\` text NOT NULL, \`effectiveFrom\` datetime(6) NULL, \`effectiveUntil\` datetime(6) NULL, \`overridesEntryId\` varchar(36) NULL, \`internalNote\` varchar(2000) NULL, \`authorId\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_qa_entry_version\` (\`entryId\`, \`number\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`qa_review_decision\` (\`id\` varchar(36) NOT NULL, \`entryId\` varchar(36) NOT NULL, \`versionId\` varchar(36) NOT NULL, \`step\` int NOT NULL, \`level\` int NOT NULL, \`reviewerId\` varchar(36) NOT NULL, \`decision\` varchar(16) NOT NULL, \`comment\` varchar(2000) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_qa_review_decision_step\` (\`versionId\`, \`step\`), INDEX \`idx_qa_review_decision_entry\` (\`entryId\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`qa_category\` (\`id\` varchar(36) NOT NULL, \`parentId\` varchar(36) NULL, \`name\` varchar(60) NOT NULL, \`pathName\` varchar(400) NOT NULL, \`sortOrder\` int NOT NULL DEFAULT '0', \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_qa_category_name\` (\`parentId\`, \`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`qa_query_log\` (\`id\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`askedUnitId\` varchar(36) NOT NULL, \`channel\` varchar(16) NULL, \`userId\` varchar(36) NULL, \`apiKeyId\` varchar(36) NULL, \`maskedText\` varchar(1000) NOT NULL, \`normalizedText\` varchar(1000) NOT NULL, \`results\` text NOT NULL, \`topScore\` float NULL, \`answered\` tinyint NOT NULL, \`helpful\` tinyint NULL, \`feedbackEntryId\` varchar(36) NULL, \`gap\` tinyint NOT NULL, \`resolvedByEntryId\` varchar(36) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_qa_query_log_gap\` (\`gap\`, \`unitPath\`), INDEX \`idx_qa_query_log_unit_path\` (\`unitPath\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`qa_synonym\` (\`id\` varchar(36) NOT NULL, \`terms\` text NOT NULL, \`sortOrder\` int NOT NULL, \`updatedBy\` varchar(36) NULL, \`updatedAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`qa_policy_document\` (\`id\` varchar(36) NOT NULL, \`title\` varchar(300) NOT NULL, \`docNumber\` varchar(100) NULL, \`url\` varchar(500) NULL, \`citationKey\` varchar(300) NOT NULL, \`repealed\` tinyint NOT NULL DEFAULT 0, \`repealedAt\` datetime(6) NULL, \`createdAt\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_qa_policy_document_key\` (\`citationKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`qa_policy_citation\` (\`entryId\` varchar(36) NOT NULL, \`documentId\` varchar(36) NOT NULL, INDEX \`idx_qa_policy_citation_document\` (\`documentId\`), PRIMARY KEY (\`entryId\`, \`documentId\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`qa_sequence\` (\`name\` varchar(32) NOT NULL, \`value\` int NOT NULL, PRIMARY KEY (\`name\`)) ENGINE=InnoDB`);
    await q.query(`ALTER TABLE \`api_key\` ADD \`scopes\` text NULL`);
    await q.query(`ALTER TABLE \`api_key\` ADD \`allowedOrigins\` text NULL`);
    await seedQaLibrary(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE \`api_key\` DROP COLUMN \`allowedOrigins\``);
    await q.query(`ALTER TABLE \`api_key\` DROP COLUMN \`scopes\``);
    await q.query(`DROP TABLE \`qa_sequence\``);
    await q.query(`DROP INDEX \`idx_qa_policy_citation_document\` ON \`qa_policy_citation\``);
    await q.query(`DROP TABLE \`qa_policy_citation\``);
    await q.query(`DROP INDEX \`uq_qa_policy_document_key\` ON \`qa_policy_document\``);
    await q.query(`DROP TABLE \`qa_policy_document\``);
    await q.query(`DROP TABLE \`qa_synonym\``);
    await q.query(`DROP INDEX \`idx_qa_query_log_unit_path\` ON \`qa_query_log\``);
    await q.query(`DROP INDEX \`idx_qa_query_log_gap\` ON \`qa_query_log\``);
    await q.query(`DROP TABLE \`qa_query_log\``);
    await q.query(`DROP INDEX \`uq_qa_category_name\` ON \`qa_category\``);
    await q.query(`DROP TABLE \`qa_category\``);
    await q.query(`DROP INDEX \`idx_qa_review_decision_entry\` ON \`qa_review_decision\``);
    await q.query(`DROP INDEX \`uq_qa_review_decision_step\` ON \`qa_review_decision\``);
    await q.query(`DROP TABLE \`qa_review_decision\``);
    await q.query(`DROP INDEX \`uq_qa_entry_version\` ON \`qa_entry_version\``);
    await q.query(`DROP TABLE \`qa_entry_version\``);
    await q.query(`DROP INDEX \`idx_qa_entry_unit_path\` ON \`qa_entry\``);
    await q.query(`DROP INDEX \`idx_qa_entry_status\` ON \`qa_entry\``);
    await q.query(`DROP INDEX \`idx_qa_entry_search_seq\` ON \`qa_entry\``);
    await q.query(`DROP INDEX \`idx_qa_entry_live_until\` ON \`qa_entry\``);
    await q.query(`DROP INDEX \`idx_qa_entry_overrides\` ON \`qa_entry\``);
    await q.query(`DROP INDEX \`idx_qa_entry_category\` ON \`qa_entry\``);
    await q.query(`DROP TABLE \`qa_entry\``);
  }
}
