import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One stratum of a round's sample: its accounts counted and those drawn, for anyone to re-derive. */
export interface StratumDerivation {
  /** `platform|unitLevel`. */
  key: string;
  platform: string;
  level: string;
  size: number;
  drawn: number;
}

/**
 * 抽查轮次: a supervisor's check of a share of the accounts under a root unit for one period. The
 * sample is drawn by a seeded PRNG from the population as it stood (recorded in the sample rows),
 * so the seed and the derivation let anyone draw the same sample again.
 */
@Entity('supervision_round')
@Index('idx_supervision_round_root', ['unitPath', 'createdAt'])
export class SpotCheckRound {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  /** The root unit of the round (column rootUnitId). */
  @Column('varchar', { length: 36, name: 'rootUnitId' })
  unitId: string;

  /** The root's path, a copy a unit move rewrites (libs/database unit-paths.ts; column rootUnitPath). */
  @Column({ type: 'varchar', length: 400, charset: 'ascii', name: 'rootUnitPath' })
  unitPath: string;

  /** `2026-Q4` (quarter) or `2026-11` (month). */
  @Column('varchar', { length: 8 })
  period: string;

  /** Share of every stratum drawn, 0 < ratio ≤ 1. */
  @Column('float')
  ratio: number;

  /** The jurisdiction's minimum when the round was opened, and the rule set that stated it. */
  @Column('float')
  minRatio: number;

  @Column('varchar', { length: 64 })
  ruleSet: string;

  @Column('varchar', { length: 32 })
  ruleSetVersion: string;

  @Column('varchar', { length: 64 })
  seed: string;

  /** Names the sampling algorithm and its version (see sampling.ts). */
  @Column('varchar', { length: 64 })
  algorithm: string;

  /** Active accounts under the root when the round was opened. */
  @Column('int')
  population: number;

  @Column('int')
  sampled: number;

  @Column('simple-json')
  strata: StratumDerivation[];

  /** 三、工作要求 of the 通报, editable by the supervisor. */
  @Column('text')
  requirements: string;

  @Column('varchar', { length: 36 })
  createdBy: string;

  @Column('datetime', { precision: 6 })
  createdAt: Date;

  @Column('datetime', { precision: 6 })
  updatedAt: Date;
}
