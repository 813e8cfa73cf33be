import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * draft → in_review → published → archived. An edit of a published entry makes a new draft
 * version while the published one stays live (liveVersionId) until the successor is approved; a
 * rejection returns the draft to its editor (status draft, lastDecision reject).
 */
export enum QaEntryStatus {
  Draft = 'draft',
  InReview = 'in_review',
  Published = 'published',
  Archived = 'archived',
}

export interface QaChainStep {
  level: number;
  name: string;
}

/** 答问 (qaEntry): one question of the shared library, owned by a unit, applying to its subtree. */
@Entity('qa_entry')
@Index('idx_qa_entry_unit_path', ['unitPath', 'updatedAt'])
@Index('idx_qa_entry_status', ['status', 'unitPath'])
export class QaEntry {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 16 })
  status: QaEntryStatus;

  /** The standard question of the current version (lists and filters). */
  @Column('varchar', { length: 300 })
  question: string;

  @Index('idx_qa_entry_category')
  @Column('varchar', { length: 36, nullable: true })
  categoryId: string | null;

  /** The ancestor unit's entry this one replaces inside the owner's subtree. */
  @Index('idx_qa_entry_overrides')
  @Column('varchar', { length: 36, nullable: true })
  overridesEntryId: string | null;

  @Column('varchar', { length: 36 })
  currentVersionId: string;

  @Column('int')
  currentVersionNumber: number;

  /** The published version search answers with; null until the first approval or once archived. */
  @Column('varchar', { length: 36, nullable: true })
  liveVersionId: string | null;

  /** effectiveUntil of the live version (the expiry reminder sweep reads it). */
  @Index('idx_qa_entry_live_until')
  @Column('datetime', { precision: 6, nullable: true })
  liveUntil: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  expiryRemindedAt: Date | null;

  /** Set when a cited policy document is repealed; cleared by the next approval. */
  @Column('boolean', { default: false })
  needsReview: boolean;

  @Column('varchar', { length: 36 })
  authorId: string;

  @Column('simple-json', { nullable: true })
  chain: { steps: QaChainStep[] } | null;

  @Column('simple-json', { nullable: true })
  approvedSteps: number[] | null;

  @Column('datetime', { precision: 6, nullable: true })
  submittedAt: Date | null;

  @Column('varchar', { length: 16, nullable: true })
  lastDecision: 'approve' | 'reject' | null;

  /**
   * The search sequence number (qa_sequence 'search') of the last change search must see:
   * published, replaced, archived. Every hub polls for rows above the highest it has seen to keep
   * its in-process index current; see QaIndexSync.
   */
  @Index('idx_qa_entry_search_seq')
  @Column('int', { default: 0 })
  searchSeq: number;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;

  /** Optimistic lock: two reviewers acting at once cannot both move the same step. */
  @VersionColumn()
  revision: number;
}
