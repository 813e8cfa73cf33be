import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export enum ManuscriptCategory {
  Policy = 'policy',
  News = 'news',
  Notice = 'notice',
  Emergency = 'emergency',
  Reprint = 'reprint',
}

/**
 * What a review chain is set for (分级分类审核): every manuscript category, and 答问 (`qa`), the
 * entries of the shared Q&A library (libs/knowledge), reviewed through the same per-unit chains.
 */
export const ReviewCategory = { ...ManuscriptCategory, Qa: 'qa' } as const;
export type ReviewCategory = ManuscriptCategory | 'qa';

/**
 * draft → in_review → approved (先审后发: only an approved version may publish); a rejection
 * returns it to the editor as rejected; any edit goes back to draft and the review starts over.
 */
export enum ManuscriptStatus {
  Draft = 'draft',
  InReview = 'in_review',
  Rejected = 'rejected',
  Approved = 'approved',
}

export interface ChainStep {
  /** 1 初审, 2 复审, 3 终审 … the reviewer level this step needs. */
  level: number;
  name: string;
  /** Minutes before an unanswered emergency step escalates. */
  limitMinutes?: number | null;
}

@Entity('manuscript')
@Index('idx_manuscript_unit_path', ['unitPath', 'updatedAt'])
@Index('idx_manuscript_status', ['status', 'unitPath'])
// A province-wide list walks this in order and stops after a page (see ManuscriptsService.list).
@Index('idx_manuscript_updated', ['updatedAt'])
export class Manuscript {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Index('idx_manuscript_author')
  @Column('varchar', { length: 36 })
  authorId: string;

  @Column('varchar', { length: 200 })
  title: string;

  @Column('varchar', { length: 16 })
  category: ManuscriptCategory;

  @Column('varchar', { length: 16 })
  status: ManuscriptStatus;

  @Column('varchar', { length: 36 })
  currentVersionId: string;

  @Column('int')
  currentVersionNumber: number;

  /** The version the review approved; publications may only point here. */
  @Column('varchar', { length: 36, nullable: true })
  approvedVersionId: string | null;

  /** The chain fixed at submission: a later change of the unit's chain does not move a running review. */
  @Column('simple-json', { nullable: true })
  chain: { steps: ChainStep[]; parallel: boolean } | null;

  /** Steps approved for the current version (indices into chain.steps). */
  @Column('simple-json', { nullable: true })
  approvedSteps: number[] | null;

  /**
   * Steps of the current submission not decided within their limit (indices into chain.steps):
   * a reviewer one level up may decide them too. Reset on every submission.
   */
  @Column('simple-json', { nullable: true })
  escalatedSteps: number[] | null;

  /** When the next open step with a limit runs out; the escalation sweep finds overdue rows by it. */
  @Index('idx_manuscript_escalation_due')
  @Column('datetime', { precision: 6, nullable: true })
  escalationDueAt: Date | null;

  /** When it was last submitted; null while it has never left the editors' hands. */
  @Column('datetime', { precision: 6, nullable: true })
  submittedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;

  /** Optimistic lock: two reviewers acting at once cannot both move the same step. */
  @VersionColumn()
  revision: number;
}
