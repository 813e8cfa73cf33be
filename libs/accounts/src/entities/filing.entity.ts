import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** 分级备案: what was filed with the supervisor. */
export enum FilingKind {
  Open = 'open',
  Change = 'change',
  Suspend = 'suspend',
  Cancel = 'cancel',
}

/**
 * A filing (备案) owed for a transition that took effect. Due 3 days after it took effect; filed
 * later than that it is marked late; not filed by then it is overdue.
 */
@Entity('filing')
@Index('idx_filing_unit_path_due', ['unitPath', 'dueAt'])
export class Filing {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_filing_account')
  @Column('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 16 })
  kind: FilingKind;

  /** What changed: before/after of name, subject or status. */
  @Column('simple-json')
  details: Record<string, unknown>;

  @Column('datetime', { precision: 6 })
  effectiveAt: Date;

  @Column('datetime', { precision: 6 })
  dueAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  filedAt: Date | null;

  @Column('boolean', { default: false })
  late: boolean;

  @Column('varchar', { length: 36, nullable: true })
  filedBy: string | null;

  /** The supervisor's acknowledgement document number or note. */
  @Column('varchar', { length: 200, nullable: true })
  reference: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
