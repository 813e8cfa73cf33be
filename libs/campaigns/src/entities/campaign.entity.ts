import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type CampaignStatus = 'open' | 'closed';

/**
 * 联动任务 (campaign): a supervisor asks the units of its subtree to carry a release on their
 * accounts by a deadline. `unitId`/`unitPath` are the ISSUING unit (a copy kept current on unit
 * moves like every other), so "campaigns I issued within my subtree" is one index range.
 */
@Entity('campaign')
@Index('idx_campaign_unit_path', ['unitPath', 'createdAt'])
@Index('idx_campaign_status', ['status', 'deadline'])
export class Campaign {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 200 })
  title: string;

  @Column('varchar', { length: 2000 })
  instructions: string;

  /** The issuing unit (主管单位). */
  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 36 })
  sourceManuscriptId: string;

  /** Set when the campaign relays a publication, so the original posts can be linked. */
  @Column('varchar', { length: 36, nullable: true })
  sourcePublicationId: string | null;

  /** The approved version the relays copy: a later edit of the source does not move the campaign. */
  @Column('varchar', { length: 36 })
  sourceVersionId: string;

  @Column('varchar', { length: 200 })
  sourceTitle: string;

  /** The original post's address (first published target of the source publication), if any. */
  @Column('varchar', { length: 1000, nullable: true })
  sourceUrl: string | null;

  @Column('simple-json')
  platforms: string[];

  @Column('datetime', { precision: 6 })
  deadline: Date;

  /** Minutes before the deadline at which open assignments are reminded. */
  @Column('simple-json')
  reminders: number[];

  /** Whether units may change the body (改写); without it only the title and lead (导语) may change. */
  @Column('boolean', { default: false })
  allowAdaptation: boolean;

  @Column('varchar', { length: 16 })
  status: CampaignStatus;

  @Column('varchar', { length: 36 })
  createdBy: string;

  /** From the clock port, so tests that move time see consistent times. */
  @Column('datetime', { precision: 6 })
  createdAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  closedAt: Date | null;

  /** Set once the escalation to the issuer has been raised (at the deadline). */
  @Column('datetime', { precision: 6, nullable: true })
  escalatedAt: Date | null;
}
