import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Comment polling of one post (outside work as a row with a due time): the poll sweep reads the
 * post's comments when `nextDueAt` is due, then sets the next time from the decay schedule
 * (poll-schedule.ts); null once the post is a week old.
 */
@Entity('inbox_poll')
@Index('uq_inbox_poll_post', ['accountId', 'postRemoteId'], { unique: true })
@Index('idx_inbox_poll_due', ['nextDueAt'])
export class InboxPoll {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 64 })
  platform: string;

  @Column('varchar', { length: 200 })
  postRemoteId: string;

  /** When the post was published: the schedule decays with its age. */
  @Column('datetime', { precision: 6 })
  postedAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  nextDueAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  lastPolledAt: Date | null;

  /** Newest comment time seen, passed as `since` to the next read. */
  @Column('datetime', { precision: 6, nullable: true })
  seenUntil: Date | null;

  @Column('int', { default: 0 })
  calls: number;

  @Column('varchar', { length: 500, nullable: true })
  lastError: string | null;
}

/** Comment-list calls spent per account and Beijing day, against the plugin's daily quota. */
@Entity('inbox_poll_budget')
export class InboxPollBudget {
  @PrimaryColumn('varchar', { length: 36 })
  accountId: string;

  /** `YYYY-MM-DD`, Beijing time (the platforms reset quotas at local midnight). */
  @PrimaryColumn('varchar', { length: 10 })
  day: string;

  @Column('int', { default: 0 })
  calls: number;
}
