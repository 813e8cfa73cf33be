import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ChainStep, ReviewCategory } from './manuscript.entity';

/** 分级分类审核: the ordered review steps a unit sets per category (inherited by its subtree). */
@Entity('review_chain')
@Index('uq_review_chain', ['unitId', 'category'], { unique: true })
export class ReviewChain {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 16 })
  category: ReviewCategory;

  @Column('simple-json')
  steps: ChainStep[];

  /** Emergency chains: steps may be approved in any order. */
  @Column('boolean', { default: false })
  parallel: boolean;

  @Column('varchar', { length: 36 })
  updatedBy: string;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
