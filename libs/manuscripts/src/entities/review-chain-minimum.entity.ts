import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ReviewCategory } from './manuscript.entity';

/**
 * The province's floor under every unit's review chain of a category (分级分类审核): no unit may
 * set, or inherit, a chain with fewer steps. Set by the province's own unit admin; a category
 * without a row uses the built-in minimum (three steps for policy interpretation and emergencies).
 */
@Entity('review_chain_minimum')
export class ReviewChainMinimum {
  @PrimaryColumn('varchar', { length: 16 })
  category: ReviewCategory;

  @Column('int')
  minSteps: number;

  @Column('varchar', { length: 36 })
  updatedBy: string;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
