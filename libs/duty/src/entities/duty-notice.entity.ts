import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Why this person was told. */
export type DutyNoticeReason = 'override' | 'layer' | 'gap' | 'user' | 'unscheduled';

/**
 * 值班日志: one person told of one alert at one escalation step, as a fact recorded when it happened
 * (a later change of the schedule does not rewrite who was told).
 */
@Entity('duty_notice')
@Index('idx_duty_notice_unit', ['unitId', 'notifiedAt'])
@Index('idx_duty_notice_alert', ['alertId'])
export class DutyNotice {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  alertId: string;

  /** The unit whose schedule routed it. */
  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 36 })
  userId: string;

  @Column('int')
  step: number;

  @Column('int')
  round: number;

  @Column('varchar', { length: 16 })
  reason: DutyNoticeReason;

  @Column('datetime', { precision: 6 })
  notifiedAt: Date;
}
