import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * When the editor means a manuscript to go out (计划发布时间), set while writing and moved on the
 * calendar while its review runs. Publishing the approved manuscript without a time of its own
 * takes this one as its scheduledAt, and the plan is then used up (the publication carries on).
 */
@Entity('publication_plan')
@Index('idx_plan_unit_path', ['unitPath', 'plannedAt'])
export class PublicationPlan {
  @PrimaryColumn('varchar', { length: 36 })
  manuscriptId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('datetime', { precision: 6 })
  plannedAt: Date;

  /** The accounts the editor means to publish to (shown on the calendar); null: not chosen yet. */
  @Column('simple-json', { nullable: true })
  accountIds: string[] | null;

  @Column('varchar', { length: 36 })
  updatedBy: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
