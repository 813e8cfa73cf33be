import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A sign-in session: one refresh-token family. The refresh token carries the session id and a
 * generation; only the hash of the current one is stored. Presenting an older generation means
 * a token was stolen and replayed, and the whole session is revoked.
 */
@Entity('session')
export class Session {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_session_user')
  @Column('varchar', { length: 36 })
  userId: string;

  @Column('varchar', { length: 64 })
  tokenHash: string;

  @Column('int', { default: 1 })
  generation: number;

  /** 'password', 'password+totp', 'oidc' … how the session was established. */
  @Column('varchar', { length: 32 })
  method: string;

  /** Restricts the session until the user changes the password or enrols a second factor. */
  @Column('varchar', { length: 32, nullable: true })
  restriction: string | null;

  @Column('datetime', { precision: 6 })
  lastSeenAt: Date;

  @Column('datetime', { precision: 6 })
  expiresAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  revokedAt: Date | null;

  @Column('varchar', { length: 32, nullable: true })
  revokedReason: string | null;

  @Column('varchar', { length: 64, nullable: true })
  ip: string | null;

  @Column('varchar', { length: 255, nullable: true })
  userAgent: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
