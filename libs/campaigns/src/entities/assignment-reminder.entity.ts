import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `reminder`: before the deadline, to the unit's editors and duty officers; `escalation`: after it, to the unit admin and the issuer. */
export type ReminderKind = 'reminder' | 'escalation';

/**
 * Each reminder or escalation an assignment received (留痕), so the report can say how many
 * prompts a unit needed. The unique key makes a repeated sweep record nothing more.
 */
@Entity('campaign_assignment_reminder')
@Index('uq_assignment_reminder', ['assignmentId', 'kind', 'offsetMinutes'], { unique: true })
@Index('idx_assignment_reminder_campaign', ['campaignId'])
export class AssignmentReminder {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  assignmentId: string;

  @Column('varchar', { length: 36 })
  campaignId: string;

  @Column('varchar', { length: 16 })
  kind: ReminderKind;

  /** Minutes before the deadline (reminders) or 0 at the deadline (escalation). */
  @Column('int')
  offsetMinutes: number;

  /** Who was told: roles, and `issuer` for the issuing unit. */
  @Column('simple-json')
  recipients: string[];

  @Column('datetime', { precision: 6 })
  sentAt: Date;
}
