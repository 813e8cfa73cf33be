import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Earlier password hashes of a user; a new password may not repeat the last five. */
@Entity('password_history')
export class PasswordHistory {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_password_history_user')
  @Column('varchar', { length: 36 })
  userId: string;

  @Column('varchar', { length: 255 })
  passwordHash: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
