import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const RECTIFICATION_STATES = ['open', 'answered', 'closed', 'escalated'] as const;
export type RectificationState = (typeof RECTIFICATION_STATES)[number];

/**
 * 整改通知: a confirmed failure sent to the account's unit with a deadline. The unit answers
 * (`answered`), the supervisor re-checks: closes, reopens (back to `open` with a new deadline) or
 * escalates. Overdue is computed against the clock; `overdueAlertedAt` is the sweep's mark that the
 * unit's on-call was told of this deadline.
 */
@Entity('supervision_rectification')
@Index('idx_rectification_unit', ['unitPath', 'state'])
@Index('idx_rectification_due', ['state', 'deadline'])
@Index('uq_rectification_finding', ['findingId'], { unique: true })
export class Rectification {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  roundId: string;

  @Column('varchar', { length: 36 })
  findingId: string;

  @Column('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 64 })
  item: string;

  @Column('varchar', { length: 1000 })
  problem: string;

  @Column('varchar', { length: 12 })
  state: RectificationState;

  @Column('datetime', { precision: 6 })
  deadline: Date;

  @Column('text', { nullable: true })
  responseText: string | null;

  @Column('simple-json', { nullable: true })
  responseEvidence: { urls: string[]; mediaIds: string[] } | null;

  @Column('datetime', { precision: 6, nullable: true })
  respondedAt: Date | null;

  @Column('varchar', { length: 36, nullable: true })
  respondedBy: string | null;

  /** The answer came after the deadline (kept after closing, for the 通报). */
  @Column('boolean', { default: false })
  answeredLate: boolean;

  @Column('datetime', { precision: 6, nullable: true })
  reviewedAt: Date | null;

  @Column('varchar', { length: 36, nullable: true })
  reviewedBy: string | null;

  @Column('varchar', { length: 1000, nullable: true })
  reviewNote: string | null;

  @Column('int', { default: 0 })
  reopened: number;

  @Column('datetime', { precision: 6, nullable: true })
  overdueAlertedAt: Date | null;

  @Column('varchar', { length: 36 })
  createdBy: string;

  @Column('datetime', { precision: 6 })
  createdAt: Date;
}
