import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DutyLayer } from '../schedule';

/** Who is told next while an alert stays unacknowledged. */
export type EscalationTarget = { kind: 'on_call' } | { kind: 'parent_on_call' } | { kind: 'user'; userId: string };

export interface EscalationStep {
  /** Minutes after the previous step (after the alert, for the first step). */
  afterMinutes: number;
  notify: EscalationTarget;
}

export interface EscalationPolicy {
  steps: EscalationStep[];
  /** How many more times the whole list runs after the first pass while nobody acknowledges. */
  repeat: number;
}

/** Without a policy of its own, a unit's alerts go to its on-call person once. */
export const DEFAULT_POLICY: EscalationPolicy = { steps: [{ afterMinutes: 0, notify: { kind: 'on_call' } }], repeat: 0 };

/**
 * 值班表 of one unit: its rotation layers and escalation policy, small and always read whole, so
 * kept as JSON in one row; overrides are rows of their own (they are queried by time range).
 */
@Entity('duty_schedule')
export class DutySchedule {
  @PrimaryColumn('varchar', { length: 36 })
  unitId: string;

  @Index('idx_duty_schedule_path')
  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('simple-json')
  layers: DutyLayer[];

  @Column('simple-json')
  policy: EscalationPolicy;

  @Column('datetime', { precision: 6 })
  updatedAt: Date;

  @Column('varchar', { length: 36 })
  updatedBy: string;
}
