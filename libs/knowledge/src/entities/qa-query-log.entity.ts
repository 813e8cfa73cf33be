import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One search, with personal data masked before the row is written (mobile, ID and bank card
 * numbers), what it returned and, later, whether the answer helped. The gap list reads it.
 */
@Entity('qa_query_log')
@Index('idx_qa_query_log_unit_path', ['unitPath', 'createdAt'])
@Index('idx_qa_query_log_gap', ['gap', 'unitPath'])
export class QaQueryLog {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  /**
   * The unit the question is routed to (who should answer it): the asking unit, or the owner of
   * the entry marked unhelpful. Gap lists are scoped by its path.
   */
  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  /** The unit the question was asked for. */
  @Column('varchar', { length: 36 })
  askedUnitId: string;

  @Column('varchar', { length: 16, nullable: true })
  channel: string | null;

  @Column('varchar', { length: 36, nullable: true })
  userId: string | null;

  @Column('varchar', { length: 36, nullable: true })
  apiKeyId: string | null;

  /** The query as asked, personal data masked. */
  @Column('varchar', { length: 1000 })
  maskedText: string;

  /** Folded, synonym-rewritten masked text: gaps cluster by it. */
  @Column('varchar', { length: 1000 })
  normalizedText: string;

  @Column('simple-json')
  results: { entryId: string; score: number }[];

  @Column('float', { nullable: true })
  topScore: number | null;

  @Column('boolean')
  answered: boolean;

  @Column('boolean', { nullable: true })
  helpful: boolean | null;

  @Column('varchar', { length: 36, nullable: true })
  feedbackEntryId: string | null;

  /** No good match, or marked unhelpful: a question the library should answer better. */
  @Column('boolean')
  gap: boolean;

  /** The entry written from this gap (it leaves the gap list). */
  @Column('varchar', { length: 36, nullable: true })
  resolvedByEntryId: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
