import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * pending (scheduled) → queued → publishing → published | retry_wait → queued | failed |
 * needs_reauth | unconfirmed; published → retracting → retracted | retract_failed.
 * `publishing` with a remoteId means the platform accepted it and is still processing.
 *
 * Corrections (更正) add three states. A correction target that edits the post in place waits and
 * runs in `editing` (like `retracting`: the edit is idempotent, so a lapsed claim just repeats it)
 * and ends `published` with the same remoteId. One that must replace the post waits in
 * `awaiting_retract` until the original target's retract has ended: `retracted` lets it go on to
 * `queued` (an ordinary publish), `retract_failed` fails it (never two live posts). The original
 * target of an edited or unretractable post becomes `superseded` (terminal).
 */
export const TARGET_STATES = [
  'pending',
  'queued',
  'publishing',
  'published',
  'retry_wait',
  'failed',
  'needs_reauth',
  'unconfirmed',
  'retracting',
  'retracted',
  'retract_failed',
  'editing',
  'awaiting_retract',
  'superseded',
] as const;
export type TargetState = (typeof TARGET_STATES)[number];

export const TERMINAL_STATES: TargetState[] = [
  'published',
  'failed',
  'needs_reauth',
  'unconfirmed',
  'retracted',
  'retract_failed',
  'superseded',
];

/**
 * How a correction target reaches the platform: `edit` the existing post in place; `replace` it
 * (retract the old post, then publish the new version); `republish` when the platform can neither
 * edit nor retract (a new post, and the old one must be removed by hand).
 */
export type CorrectionMode = 'edit' | 'replace' | 'republish';

@Entity('publication_target')
@Index('idx_target_due', ['state', 'nextAttemptAt'])
// Due rows are picked most urgent first (see targetRank).
@Index('idx_target_due_rank', ['state', 'priority', 'nextAttemptAt'])
// Monitoring's daily roll-up counts each account's posts of a day from here.
@Index('idx_target_account_published', ['accountId', 'publishedAt'])
@Index('uq_target_account', ['publicationId', 'accountId'], { unique: true })
export class PublicationTarget {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_target_publication')
  @Column('varchar', { length: 36 })
  publicationId: string;

  @Column('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 64 })
  platform: string;

  @Column('varchar', { length: 16 })
  state: TargetState;

  /**
   * Queue rank, lower first: the publication's priority lane plus the target's round within it
   * (targetRank). Bull's job priority and the database's pick order of due rows both use it.
   */
  @Column('int', { default: 100_001 })
  priority: number;

  /** The rendition the editor previewed, kept so what goes out is exactly what was approved. */
  @Column('simple-json')
  rendition: unknown;

  /** The last checkpoint of a multi-step publish; a retry resumes from it. */
  @Column('simple-json', { nullable: true })
  checkpoint: unknown;

  @Column('varchar', { length: 128, nullable: true })
  remoteId: string | null;

  @Column('varchar', { length: 1000, nullable: true })
  url: string | null;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('varchar', { length: 32, nullable: true })
  lastErrorKind: string | null;

  /** For the editor, in Chinese first. */
  @Column('varchar', { length: 1000, nullable: true })
  lastError: string | null;

  /** When the next step is due: the scheduled time, a retry, or the next status poll. */
  @Column('datetime', { precision: 6, nullable: true })
  nextAttemptAt: Date | null;

  /** The worker that holds the target and until when; a lapsed claim means the worker died mid-call. */
  @Column('varchar', { length: 64, nullable: true })
  claimedBy: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  claimedUntil: Date | null;

  /** Set when an attempt ended without an answer (worker died): the next one asks the platform first. */
  @Column('boolean', { default: false })
  mustCheckExisting: boolean;

  /** When a job for the target was last put on the queue (the reconciler re-enqueues stale ones). */
  @Column('datetime', { precision: 6, nullable: true })
  dispatchedAt: Date | null;

  @Column('int', { default: 0 })
  dispatches: number;

  @Column('datetime', { precision: 6, nullable: true })
  publishedAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  retractedAt: Date | null;

  /** On a correction's target: how it corrects the original post. Null on ordinary publications. */
  @Column('varchar', { length: 16, nullable: true })
  correctionMode: CorrectionMode | null;

  /** On a correction's target: the original publication's target whose post it corrects. */
  @Index('idx_target_replaces')
  @Column('varchar', { length: 36, nullable: true })
  replacesTargetId: string | null;

  /** On an original target: the correction target that took over (or replaced) its post. */
  @Column('varchar', { length: 36, nullable: true })
  supersededBy: string | null;

  /** A standing note for the editor (e.g. the old post must be removed by hand), Chinese first. */
  @Column('varchar', { length: 500, nullable: true })
  note: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
