import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Detection work of one account (outside work is a row with a due time): the detection sweep reads
 * the account's recent posts when `nextPollAt` is due and the account still has open assignments,
 * then sets the next time from the back-off schedule (poll-schedule.ts).
 */
@Entity('campaign_account_poll')
@Index('idx_account_poll_due', ['nextPollAt'])
export class AccountPoll {
  @PrimaryColumn('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 64 })
  platform: string;

  @Column('datetime', { precision: 6, nullable: true })
  nextPollAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  lastPolledAt: Date | null;

  /** listPosts calls made for campaigns, for the bench and the operator. */
  @Column('int', { default: 0 })
  calls: number;

  @Column('varchar', { length: 500, nullable: true })
  lastError: string | null;
}
