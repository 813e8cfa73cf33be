import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Something about an account a person must act on (today: it needs to be reconnected). Kept in
 * the unit's subtree so its unit admin and duty officers see it; resolved when the account is
 * connected again.
 */
@Entity('account_alert')
@Index('idx_account_alert_unit_path', ['unitPath', 'resolvedAt'])
export class AccountAlert {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_account_alert_account')
  @Column('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  /** `needs_reauth` for now. */
  @Column('varchar', { length: 32 })
  kind: string;

  @Column('varchar', { length: 500 })
  message: string;

  @Column('datetime', { precision: 6, nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
