import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Reading an account's recent posts to find the ones made outside Tongfa (native posts), so their
 * comments are polled too: one row per account with a due time (outside work like every poll). The
 * listing sweep calls the plugin's listPosts when `nextDueAt` is due and starts an inbox_poll row for
 * each post of the last week; the interval keeps within the inbox's share of the listing quota.
 */
@Entity('inbox_listing')
@Index('idx_inbox_listing_due', ['nextDueAt'])
export class InboxListing {
  @PrimaryColumn('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 64 })
  platform: string;

  /** Null: the plugin cannot list posts or lists no comments (nothing to do for this account). */
  @Column('datetime', { precision: 6, nullable: true })
  nextDueAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  lastListedAt: Date | null;

  @Column('int', { default: 0 })
  calls: number;

  @Column('varchar', { length: 500, nullable: true })
  lastError: string | null;
}
