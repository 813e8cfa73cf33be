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

/**
 * Comment polling of a whole account, for plugins that list the comments on all the account's posts in
 * one call (`interaction.comments.accountComments`, Weibo comments/to_me): one row per account instead of
 * one per post. Due while any of the account's posts (its inbox_poll rows, which then carry no due time
 * of their own) is inside the polling window, at the pace of the youngest (poll-schedule.ts). A read may
 * take several pages: one left unfinished (the day's budget, the page cap) resumes from `readCursor`
 * next time, so a burst larger than a poll's pages is read whole, never skipped.
 */
@Entity('inbox_account_poll')
@Index('idx_inbox_account_poll_due', ['nextDueAt'])
export class InboxAccountPoll {
  @PrimaryColumn('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 64 })
  platform: string;

  /** The plugin's mark of the last read finished: the next read asks for what is newer (`after`). */
  @Column('varchar', { length: 200, nullable: true })
  mark: string | null;

  /** Where an unfinished read stands (its `nextCursor`), resumed by the next poll. */
  @Column('varchar', { length: 200, nullable: true })
  readCursor: string | null;

  /** The unfinished read's own mark (its first page's), kept as `mark` once the read is done. */
  @Column('varchar', { length: 200, nullable: true })
  readMark: string | null;

  /** Null: no post of the account is inside the polling window (a new post makes it due again). */
  @Column('datetime', { precision: 6, nullable: true })
  nextDueAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  lastPolledAt: Date | null;

  @Column('int', { default: 0 })
  calls: number;

  @Column('varchar', { length: 500, nullable: true })
  lastError: string | null;
}
