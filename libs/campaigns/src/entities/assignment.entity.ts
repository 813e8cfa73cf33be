import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * pending → accepted → done | done_late | overdue | exempted | not_applicable. `overdue` is set
 * by the sweep at the deadline; an overdue assignment that completes later becomes `done_late`.
 */
export type AssignmentState = 'pending' | 'accepted' | 'done' | 'done_late' | 'overdue' | 'exempted' | 'not_applicable';
export const ASSIGNMENT_STATES: readonly AssignmentState[] = [
  'pending',
  'accepted',
  'done',
  'done_late',
  'overdue',
  'exempted',
  'not_applicable',
];
/** States in which the unit still owes the post: polled, reminded, completable. */
export const OPEN_STATES: readonly AssignmentState[] = ['pending', 'accepted', 'overdue'];

/** How completion was established: Tongfa published it, the poller found it, or the unit proved it. */
export type CompletionKind = 'tongfa' | 'detected' | 'evidence';

export type ExemptionStatus = 'requested' | 'approved' | 'rejected';

/**
 * 任务分派 (assignment): one per target unit × platform, with the unit's account on that platform
 * or none (`not_applicable`, so the report shows the gap). `deadline` is the campaign's, copied so
 * the overdue sweep and the dashboard read one table.
 */
@Entity('campaign_assignment')
@Index('uq_assignment_target', ['campaignId', 'unitId', 'platform'], { unique: true })
@Index('idx_assignment_campaign_path', ['campaignId', 'unitPath', 'state'])
@Index('idx_assignment_campaign_state', ['campaignId', 'state', 'completedAt'])
@Index('idx_assignment_campaign_platform', ['campaignId', 'platform', 'state'])
@Index('idx_assignment_unit_path', ['unitPath', 'state', 'deadline'])
@Index('idx_assignment_due', ['state', 'deadline'])
@Index('idx_assignment_account', ['accountId', 'state'])
@Index('idx_assignment_reminder', ['nextReminderAt'])
export class Assignment {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  campaignId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 64 })
  platform: string;

  @Column('varchar', { length: 36, nullable: true })
  accountId: string | null;

  @Column('varchar', { length: 16 })
  state: AssignmentState;

  @Column('datetime', { precision: 6 })
  deadline: Date;

  @Column('datetime', { precision: 6, nullable: true })
  acceptedAt: Date | null;

  @Column('varchar', { length: 36, nullable: true })
  acceptedBy: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  completedAt: Date | null;

  @Column('varchar', { length: 16, nullable: true })
  completion: CompletionKind | null;

  @Column('varchar', { length: 1000, nullable: true })
  url: string | null;

  @Column('varchar', { length: 36, nullable: true })
  manuscriptId: string | null;

  @Column('varchar', { length: 36, nullable: true })
  publicationId: string | null;

  /**
   * Claimed before the relay's publication is requested, and that request's idempotency key: a
   * crash between the claim and the publication lets the sweep repeat the same request, which
   * answers the publication already made instead of a second one (exactly once).
   */
  @Column('varchar', { length: 36, nullable: true })
  publishKey: string | null;

  /** Reminders and escalations recorded (rows of campaign_assignment_reminder), kept here for the dashboard. */
  @Column('int', { default: 0 })
  reminders: number;

  /** When the reminder sweep should next look at this row; null once nothing is left to send. */
  @Column('datetime', { precision: 6, nullable: true })
  nextReminderAt: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  exemptionReason: string | null;

  @Column('varchar', { length: 16, nullable: true })
  exemptionStatus: ExemptionStatus | null;

  @Column('varchar', { length: 36, nullable: true })
  exemptionRequestedBy: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  exemptionDecidedAt: Date | null;

  @Column('varchar', { length: 36, nullable: true })
  exemptionDecidedBy: string | null;

  @Column('varchar', { length: 500, nullable: true })
  exemptionComment: string | null;
}
