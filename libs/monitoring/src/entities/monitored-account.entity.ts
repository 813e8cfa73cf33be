import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PostSource } from './activity-day.entity';
import type { RuleStateValue } from './rule-state.entity';

/**
 * The current picture of one account: its last post, recent volume and worst rule state, kept by
 * the roll-up so the supervisor's list reads one row per account. It is also the roll-up's work row
 * (outside work is a row with a due time): the sweep takes accounts whose `nextRollupAt` is due.
 */
@Entity('monitoring_account')
@Index('idx_monitoring_account_risk', ['unitPath', 'riskRank', 'silentDays'])
@Index('idx_monitoring_account_due', ['nextRollupAt'])
export class MonitoredAccount {
  @PrimaryColumn('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 64 })
  platform: string;

  @Column('datetime', { precision: 6, nullable: true })
  lastPostAt: Date | null;

  @Column('varchar', { length: 1000, nullable: true })
  lastPostUrl: string | null;

  @Column('varchar', { length: 8, nullable: true })
  lastPostSource: PostSource | null;

  /** Calendar days (Asia/Shanghai) since the last post, or since the account opened if it never posted. */
  @Column('int', { default: 0 })
  silentDays: number;

  /** Posts in the last seven days, both sources. */
  @Column('int', { default: 0 })
  postsLast7Days: number;

  /** The worst state over the account's rules; `riskRank` orders it (breach 3, warning 2, unknown 1, ok 0). */
  @Column('varchar', { length: 8, default: 'unknown' })
  worstState: RuleStateValue;

  @Column('smallint', { default: 1 })
  riskRank: number;

  @Column('datetime', { precision: 6, nullable: true })
  rolledUpAt: Date | null;

  /** Posts are counted up to here; the next roll-up reads from this time on. */
  @Column('datetime', { precision: 6, nullable: true })
  countedUntil: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  nextRollupAt: Date | null;

  /** The last listPosts failure (the roll-up goes on with Tongfa's own posts). */
  @Column('varchar', { length: 500, nullable: true })
  listError: string | null;
}
