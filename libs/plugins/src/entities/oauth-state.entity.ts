import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One OAuth authorization in flight. Only the SHA-256 of the state travels back to the database,
 * so a leaked row cannot be replayed; `usedAt` is set by a conditional UPDATE, which makes the
 * state single-use even when two callbacks race.
 */
@Entity('oauth_state')
export class OAuthState {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_oauth_state_hash', { unique: true })
  @Column('varchar', { length: 64 })
  stateHash: string;

  @Column('varchar', { length: 36 })
  accountId: string;

  /** The user who started the connection; the callback acts on their behalf. */
  @Column('varchar', { length: 36 })
  userId: string;

  @Column('varchar', { length: 64 })
  platform: string;

  @Column('varchar', { length: 500 })
  redirectUri: string;

  @Column('datetime', { precision: 6 })
  expiresAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
