import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A unit's relay (转载) of a campaign: the ONE reprint manuscript per (campaign, unit), whichever of
 * the unit's assignments was accepted first. The unique key settles two acceptances racing.
 */
@Entity('campaign_relay')
@Index('uq_campaign_relay', ['campaignId', 'unitId'], { unique: true })
@Index('uq_campaign_relay_manuscript', ['manuscriptId'], { unique: true })
@Index('idx_campaign_relay_path', ['unitPath'])
export class CampaignRelay {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  campaignId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 36 })
  manuscriptId: string;

  /** The user who accepted: the publication is made in their name once the review approves. */
  @Column('varchar', { length: 36 })
  acceptedBy: string;

  /** Published under a CampaignTrust rule, without the unit's own review. */
  @Column('boolean', { default: false })
  trusted: boolean;

  @Column('datetime', { precision: 6 })
  createdAt: Date;
}
