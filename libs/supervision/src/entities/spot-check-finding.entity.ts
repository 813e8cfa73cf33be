import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const FINDING_RESULTS = ['pass', 'fail', 'pending'] as const;
export type FindingResult = (typeof FINDING_RESULTS)[number];

/**
 * One checklist item of one sampled account. Pre-filled from the monitoring rule state with the
 * evidence that decided it (`source` monitoring, not yet confirmed); the checker's decision
 * (`POST /spot-checks/:id/findings`) sets `decidedBy`, and a confirmed failure becomes an order.
 */
@Entity('supervision_finding')
@Index('uq_supervision_finding_item', ['roundId', 'accountId', 'item'], { unique: true })
export class SpotCheckFinding {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  roundId: string;

  @Column('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 64 })
  item: string;

  @Column('varchar', { length: 8 })
  result: FindingResult;

  /** `monitoring` (pre-filled from the rule state) or `checker` (a person decided). */
  @Column('varchar', { length: 16 })
  source: 'monitoring' | 'checker';

  @Column('varchar', { length: 1000 })
  note: string;

  /** URL, time and the platform data that decided it; the snapshot's media id once taken. */
  @Column('simple-json')
  evidence: Record<string, unknown>;

  @Column('varchar', { length: 36, nullable: true })
  decidedBy: string | null;

  @Column('datetime', { precision: 6 })
  decidedAt: Date;
}
