import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One reviewer's decision on one step of one entry version (留痕). */
@Entity('qa_review_decision')
@Index('idx_qa_review_decision_entry', ['entryId', 'createdAt'])
@Index('uq_qa_review_decision_step', ['versionId', 'step'], { unique: true })
export class QaReviewDecision {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  entryId: string;

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

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
