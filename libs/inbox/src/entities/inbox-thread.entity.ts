import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ThreadKind = 'comment' | 'message';
export const THREAD_KINDS: readonly ThreadKind[] = ['comment', 'message'];

/** new → assigned → replied → closed; a citizen writing again reopens a replied thread to `assigned`. */
export type ThreadState = 'new' | 'assigned' | 'replied' | 'closed';
export const THREAD_STATES: readonly ThreadState[] = ['new', 'assigned', 'replied', 'closed'];

/**
 * 互动会话: one citizen conversation with an account (private messages, per conversation id) or one
 * comment tree under a post (per top-level comment). `unitId`/`unitPath` are the account's unit, a
 * copy the unit move rewrites like every other, so a unit's inbox is one index range.
 *
 * Clocks: `firstResponseDueAt` and `resolutionDueAt` are computed on the unit's working time
 * (statutory holidays, 调休, lunch break); `replyDeadlineAt` is the platform's hard window (WeChat's
 * 48 h for customer-service messages), in real time.
 */
@Entity('inbox_thread')
@Index('uq_inbox_thread_key', ['accountId', 'threadKey'], { unique: true })
@Index('idx_inbox_thread_unit_path', ['unitPath', 'state', 'lastIncomingAt'])
@Index('idx_inbox_thread_due', ['state', 'firstResponseDueAt'])
@Index('idx_inbox_thread_remind', ['state', 'remindAt'])
@Index('idx_inbox_thread_assignee', ['assigneeId', 'state'])
export class InboxThread {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 64 })
  platform: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 16 })
  kind: ThreadKind;

  /** `m:<conversationId>` or `c:<postRemoteId>:<top-level comment id>`: what groups items into this thread. */
  @Column('varchar', { length: 300 })
  threadKey: string;

  /** The post a comment tree hangs under (the plugin's remoteId). */
  @Column('varchar', { length: 200, nullable: true })
  postRemoteId: string | null;

  /** The top-level comment of the tree (the platform's id). */
  @Column('varchar', { length: 200, nullable: true })
  rootCommentId: string | null;

  /** The citizen's id on the platform (openid, uid): the message conversation, or the comment's author. */
  @Column('varchar', { length: 200, nullable: true })
  citizenId: string | null;

  @Column('varchar', { length: 200 })
  citizenName: string;

  @Column('varchar', { length: 16 })
  state: ThreadState;

  @Column('varchar', { length: 36, nullable: true })
  assigneeId: string | null;

  /** The latest incoming text, clipped, for the list. */
  @Column('varchar', { length: 500 })
  preview: string;

  /** Incoming text matched the sensitive lexicon or a 舆情 keyword (a duty alert was raised). */
  @Column('boolean', { default: false })
  sensitive: boolean;

  @Column('datetime', { precision: 6 })
  firstIncomingAt: Date;

  @Column('datetime', { precision: 6 })
  lastIncomingAt: Date;

  /** Working-time deadline of the first answer (kept after the answer, for the metric). */
  @Column('datetime', { precision: 6, nullable: true })
  firstResponseDueAt: Date | null;

  /** When the assignee is reminded: `remindBeforeMinutes` working minutes before the first-response deadline. */
  @Column('datetime', { precision: 6, nullable: true })
  remindAt: Date | null;

  /** Working-time deadline to close the thread. */
  @Column('datetime', { precision: 6, nullable: true })
  resolutionDueAt: Date | null;

  /** The platform's own window: no reply can be delivered after it (hard). */
  @Column('datetime', { precision: 6, nullable: true })
  replyDeadlineAt: Date | null;

  /** When the first reply was delivered (its working minutes from firstIncomingAt are the metric). */
  @Column('datetime', { precision: 6, nullable: true })
  firstRespondedAt: Date | null;

  /** Working minutes from the first incoming item to the first delivered reply. */
  @Column('int', { nullable: true })
  firstResponseMinutes: number | null;

  /** Whether the first reply was delivered by the first-response deadline (the SLA metric). */
  @Column('boolean', { nullable: true })
  respondedInTime: boolean | null;

  @Column('datetime', { precision: 6, nullable: true })
  closedAt: Date | null;

  /** Set when the assignee was reminded of the coming first-response deadline (once per deadline). */
  @Column('datetime', { precision: 6, nullable: true })
  remindedAt: Date | null;

  /** Set when the breach was escalated to the duty officers (once per deadline). */
  @Column('datetime', { precision: 6, nullable: true })
  escalatedAt: Date | null;

  @Column('datetime', { precision: 6 })
  createdAt: Date;

  @Column('datetime', { precision: 6 })
  updatedAt: Date;
}
