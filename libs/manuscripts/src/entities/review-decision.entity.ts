import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One reviewer's decision on one step of one version (留痕). */
@Entity('review_decision')
@Index('idx_review_decision_manuscript', ['manuscriptId', 'createdAt'])
@Index('uq_review_decision_step', ['versionId', 'step'], { unique: true })
export class ReviewDecision {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  manuscriptId: string;

  @Column('varchar', { length: 36 })
  versionId: string;

  @Column('int')
  step: number;

  @Column('int')
  level: number;

  @Column('varchar', { length: 36 })
  reviewerId: string;

  @Column('varchar', { length: 16 })
  decision: 'approve' | 'reject';

  @Column('varchar', { length: 2000, nullable: true })
  comment: string | null;

  /** Compliance warnings (and intended personal data) the reviewer acknowledged, by finding id. */
  @Column('simple-json')
  acknowledged: string[];

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
