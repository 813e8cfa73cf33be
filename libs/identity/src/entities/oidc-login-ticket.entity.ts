import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A one-time, short-lived ticket the console exchanges for tokens after a single sign-on. */
@Entity('oidc_login_ticket')
export class OidcLoginTicket {
  /** SHA-256 of the ticket: the ticket itself is never stored. */
  @PrimaryColumn('varchar', { length: 64 })
  id: string;

  @Column('varchar', { length: 36 })
  userId: string;

  @Index('idx_oidc_login_ticket_expires')
  @Column('datetime', { precision: 6 })
  expiresAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
