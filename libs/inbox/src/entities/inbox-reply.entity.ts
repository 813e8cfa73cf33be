import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * review → pending → sending → sent | failed | unconfirmed; `blocked` (a blocking compliance finding:
 * never sent) and `rejected` (the unit's reviewer refused it) are final too. `sending` means a call
 * may have reached the platform: the worker asks the plugin (findReply/findMessage) before calling
 * again. `unconfirmed`: it may have reached the citizen and the platform cannot (or did not) say; it
 * is never sent again by itself, a person checks the platform (a `failed` reply surely did not land).
 */
export type ReplyState = 'review' | 'pending' | 'sending' | 'sent' | 'failed' | 'unconfirmed' | 'blocked' | 'rejected';
export const REPLY_STATES: readonly ReplyState[] = ['review', 'pending', 'sending', 'sent', 'failed', 'unconfirmed', 'blocked', 'rejected'];

/**
 * 回复 (outbox row): outside work like a publication target, a row with a state and a due time. The
 * idempotency key goes to the platform with the send, so a send after a lost answer is recognised.
 */
@Entity('inbox_reply')
@Index('uq_inbox_reply_key', ['idempotencyKey'], { unique: true })
@Index('idx_inbox_reply_due', ['state', 'nextAttemptAt'])
@Index('idx_inbox_reply_thread', ['threadId', 'createdAt'])
@Index('idx_inbox_reply_unit_path', ['unitPath', 'state'])
export class InboxReply {
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

  /** The platform comment it answers (comment threads); null for a message conversation. */
  @Column('varchar', { length: 200, nullable: true })
  inReplyTo: string | null;

  @Column('text')
  text: string;

  @Column('varchar', { length: 16 })
  state: ReplyState;

  @Column('varchar', { length: 64 })
  idempotencyKey: string;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('datetime', { precision: 6, nullable: true })
  nextAttemptAt: Date | null;

  /** The platform's id of the delivered reply. */
  @Column('varchar', { length: 200, nullable: true })
  remoteId: string | null;

  @Column('varchar', { length: 1000, nullable: true })
  lastError: string | null;

  /** The compliance findings at submission (blocking ones explain `blocked`). */
  @Column('simple-json')
  findings: { rule: string; severity: string; message: string; excerpt?: string }[];

  @Column('varchar', { length: 36 })
  createdBy: string;

  @Column('datetime', { precision: 6 })
  createdAt: Date;

  @Column('varchar', { length: 36, nullable: true })
  reviewedBy: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  reviewedAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  sentAt: Date | null;
}
