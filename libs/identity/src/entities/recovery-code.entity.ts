import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A one-time recovery code for the second factor, stored hashed. */
@Entity('recovery_code')
export class RecoveryCode {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_recovery_code_user')
  @Column('varchar', { length: 36 })
  userId: string;

  @Column('varchar', { length: 64 })
  codeHash: string;

  @Column('datetime', { precision: 6, nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
