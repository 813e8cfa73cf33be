import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type ApprovalDecision = 'pending' | 'approved' | 'rejected';

/** A request to open an account (and, when needed, to exceed one per platform) and its decision. */
@Entity('account_approval')
export class AccountApproval {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_account_approval_account')
  @Column('varchar', { length: 36 })
  accountId: string;

  @Index('idx_account_approval_unit_path')
  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 36 })
  requestedBy: string;

  @Column('varchar', { length: 500, nullable: true })
  reason: string | null;

  /** True when the unit already has an account on the platform: approving grants the exception. */
  @Column('boolean', { default: false })
  exception: boolean;

  @Column('varchar', { length: 16 })
  decision: ApprovalDecision;

  @Column('varchar', { length: 36, nullable: true })
  decidedBy: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  decidedAt: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  comment: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
