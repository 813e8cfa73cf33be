import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A standing rule of unit `unitId`: campaigns issued by `issuerUnitId` publish on acceptance
 * without the unit's own review (the issuer's chain was the review). Turned on and off by the
 * unit admin, audited both ways.
 */
@Entity('campaign_trust')
@Index('uq_campaign_trust', ['unitId', 'issuerUnitId'], { unique: true })
@Index('idx_campaign_trust_path', ['unitPath'])
export class CampaignTrust {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 36 })
  issuerUnitId: string;

  @Column('varchar', { length: 36 })
  createdBy: string;

  @Column('datetime', { precision: 6 })
  createdAt: Date;
}
