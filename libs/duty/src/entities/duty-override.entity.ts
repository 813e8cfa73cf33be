import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** 替班: one person on duty for a unit over a time range, above every layer. */
@Entity('duty_override')
@Index('idx_duty_override_unit', ['unitId', 'endsAt'])
export class DutyOverride {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 36 })
  userId: string;

  @Column('datetime', { precision: 6 })
  startsAt: Date;

  @Column('datetime', { precision: 6 })
  endsAt: Date;

  @Column('varchar', { length: 200, default: '' })
  note: string;

  @Column('varchar', { length: 36 })
  createdBy: string;

  /** From the clock port: the latest override wins where two overlap. */
  @Column('datetime', { precision: 6 })
  createdAt: Date;
}
