import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A sign-in through the provincial identity provider that has left for the IdP and not come back
 * yet. Kept server-side so the PKCE verifier and nonce never leave Tongfa and a callback can be
 * consumed once, whichever hub process receives it.
 */
@Entity('oidc_login_state')
export class OidcLoginState {
  /** SHA-256 of the `state` parameter. */
  @PrimaryColumn('varchar', { length: 64 })
  id: string;

  @Column('varchar', { length: 64 })
  nonce: string;

  @Column('varchar', { length: 128 })
  codeVerifier: string;

  @Index('idx_oidc_login_state_expires')
  @Column('datetime', { precision: 6 })
  expiresAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  consumedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
