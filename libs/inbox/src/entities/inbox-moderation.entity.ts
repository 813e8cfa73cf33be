import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ModerationAction = 'hide' | 'delete';
export const MODERATION_ACTIONS: readonly ModerationAction[] = ['hide', 'delete'];

/** pending → sending → done | failed. `sending`: a call may have reached the platform. */
export type ModerationState = 'pending' | 'sending' | 'done' | 'failed';

/**
 * Hiding or deleting a citizen's comment on the platform (outside work like a reply: a row with a
 * state and a due time, sent by the worker). One row per comment and action: asking twice returns the
 * first row, so a double click or a retried request never makes a second decision. The platform call
 * itself is idempotent by the SDK's contract (deleting a deleted comment succeeds), which is why an
 * ambiguous attempt is simply repeated rather than looked up first.
 */
@Entity('inbox_moderation')
@Index('uq_inbox_moderation_comment', ['accountId', 'commentId', 'action'], { unique: true })
@Index('idx_inbox_moderation_due', ['state', 'nextAttemptAt'])
@Index('idx_inbox_moderation_thread', ['threadId', 'createdAt'])
export class InboxModeration {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  threadId: string;

  @Column('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 200 })
  postRemoteId: string;

  /** The platform's id of the comment hidden or deleted. */
  @Column('varchar', { length: 200 })
  commentId: string;

  @Column('varchar', { length: 8 })
  action: ModerationAction;

  /** Why (required): kept with the row and in the audit trail. */
  @Column('varchar', { length: 500 })
  reason: string;

  @Column('varchar', { length: 16 })
  state: ModerationState;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('datetime', { precision: 6, nullable: true })
  nextAttemptAt: Date | null;

  @Column('varchar', { length: 1000, nullable: true })
  lastError: string | null;

  @Column('varchar', { length: 36 })
  createdBy: string;

  @Column('datetime', { precision: 6 })
  createdAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  doneAt: Date | null;
}
