import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum DutyPageState {
  /** Unacknowledged; the next step is due at `nextAt`. */
  Active = 'active',
  /** Acknowledged or resolved: no one more is told. */
  Stopped = 'stopped',
  /** Every step of every round was told and nobody acknowledged. */
  Exhausted = 'exhausted',
}

/**
 * The escalation of one alert: outside work as a row with a state and a due time. The sweep finds
 * active rows past `nextAt` and claims each by its step and round, so two sweeps never tell a step twice.
 */
@Entity('duty_page')
@Index('idx_duty_page_due', ['state', 'nextAt'])
export class DutyPage {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('uq_duty_page_alert', { unique: true })
  @Column('varchar', { length: 36 })
  alertId: string;

  /** The unit whose schedule and policy route the alert (the alert's unit or the nearest above with a schedule). */
  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 16 })
  state: DutyPageState;

  /** Index of the next step to tell. */
  @Column('int')
  step: number;

  /** 0 for the first pass; at most the policy's repeat. */
  @Column('int')
  round: number;

  @Column('datetime', { precision: 6, nullable: true })
  nextAt: Date | null;

  @Column('datetime', { precision: 6 })
  createdAt: Date;
}
