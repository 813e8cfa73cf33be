import { MigrationInterface, QueryRunner } from 'typeorm';

export class Supervision1796659349978 implements MigrationInterface {
  name = 'Supervision1796659349978';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`supervision_round\` (\`id\` varchar(36) NOT NULL, \`rootUnitId\` varchar(36) NOT NULL, \`rootUnitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`period\` varchar(8) NOT NULL, \`ratio\` float NOT NULL, \`minRatio\` float NOT NULL, \`ruleSet\` varchar(64) NOT NULL, \`ruleSetVersion\` varchar(32) NOT NULL, \`seed\` varchar(64) NOT NULL, \`algorithm\` varchar(64) NOT NULL, \`population\` int NOT NULL, \`sampled\` int NOT NULL, \`strata\` text NOT NULL, \`requirements\` text NOT NULL, \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL, \`updatedAt\` datetime(6) NOT NULL, INDEX \`idx_supervision_round_root\` (\`rootUnitPath\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`supervision_sample\` (\`roundId\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`drawn\` tinyint NOT NULL, \`accountName\` varchar(100) NOT NULL, \`platform\` varchar(64) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`unitName\` varchar(100) NOT NULL, \`unitLevel\` varchar(16) NOT NULL, \`pageUrl\` varchar(1000) NULL, \`snapshotState\` varchar(8) NOT NULL, \`snapshotMediaId\` varchar(36) NULL, \`snapshotAt\` datetime(6) NULL, \`snapshotAttempts\` int NOT NULL DEFAULT '0', \`nextSnapshotAt\` datetime(6) NULL, \`snapshotError\` varchar(500) NULL, INDEX \`idx_supervision_sample_round\` (\`roundId\`, \`drawn\`, \`unitPath\`), INDEX \`idx_supervision_sample_snapshot\` (\`snapshotState\`, \`nextSnapshotAt\`), PRIMARY KEY (\`roundId\`, \`accountId\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`supervision_finding\` (\`id\` varchar(36) NOT NULL, \`roundId\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`item\` varchar(64) NOT NULL, \`result\` varchar(8) NOT NULL, \`source\` varchar(16) NOT NULL, \`note\` varchar(1000) NOT NULL, \`evidence\` text NOT NULL, \`decidedBy\` varchar(36) NULL, \`decidedAt\` datetime(6) NOT NULL, UNIQUE INDEX \`uq_supervision_finding_item\` (\`roundId\`, \`accountId\`, \`item\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE \`supervision_rectification\` (\`id\` varchar(36) NOT NULL, \`roundId\` varchar(36) NOT NULL, \`findingId\` varchar(36) NOT NULL, \`accountId\` varchar(36) NOT NULL, \`unitId\` varchar(36) NOT NULL, \`unitPath\` varchar(400) CHARACTER SET "ascii" NOT NULL, \`item\` varchar(64) NOT NULL, \`problem\` varchar(1000) NOT NULL, \`state\` varchar(12) NOT NULL, \`deadline\` datetime(6) NOT NULL, \`responseText\` text NULL, \`responseEvidence\` text NULL, \`respondedAt\` datetime(6) NULL, \`respondedBy\` varchar(36) NULL, \`answeredLate\` tinyint NOT NULL DEFAULT 0, \`reviewedAt\` datetime(6) NULL, \`reviewedBy\` varchar(36) NULL, \`reviewNote\` varchar(1000) NULL, \`reopened\` int NOT NULL DEFAULT '0', \`overdueAlertedAt\` datetime(6) NULL, \`createdBy\` varchar(36) NOT NULL, \`createdAt\` datetime(6) NOT NULL, UNIQUE INDEX \`uq_rectification_finding\` (\`findingId\`), INDEX \`idx_rectification_due\` (\`state\`, \`deadline\`), INDEX \`idx_rectification_unit\` (\`unitPath\`, \`state\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX \`idx_rectification_unit\` ON \`supervision_rectification\``);
    await q.query(`DROP INDEX \`idx_rectification_due\` ON \`supervision_rectification\``);
    await q.query(`DROP INDEX \`uq_rectification_finding\` ON \`supervision_rectification\``);
    await q.query(`DROP TABLE \`supervision_rectification\``);
    await q.query(`DROP INDEX \`uq_supervision_finding_item\` ON \`supervision_finding\``);
    await q.query(`DROP TABLE \`supervision_finding\``);
    await q.query(`DROP INDEX \`idx_supervision_sample_snapshot\` ON \`supervision_sample\``);
    await q.query(`DROP INDEX \`idx_supervision_sample_round\` ON \`supervision_sample\``);
    await q.query(`DROP TABLE \`supervision_sample\``);
    await q.query(`DROP INDEX \`idx_supervision_round_root\` ON \`supervision_round\``);
    await q.query(`DROP TABLE \`supervision_round\``);
  }
}
