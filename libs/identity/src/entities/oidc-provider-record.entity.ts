import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * State of Tongfa's own OpenID provider (sessions, interactions, grants, codes, tokens), one row
 * per oidc-provider model instance, so every hub process sees the same sign-ins.
 */
@Entity('oidc_provider_record')
export class OidcProviderRecord {
  @PrimaryColumn('varchar', { length: 32 })
  model: string;

  @PrimaryColumn('varchar', { length: 190 })
  id: string;

  /** The model's JSON payload. */
  @Column('text')
  payload: string;

  @Index('idx_oidc_provider_record_grant')
  @Column('varchar', { length: 190, nullable: true })
  grantId: string | null;

  @Index('idx_oidc_provider_record_uid')
  @Column('varchar', { length: 190, nullable: true })
  uid: string | null;

  @Index('idx_oidc_provider_record_user_code')
  @Column('varchar', { length: 190, nullable: true })
  userCode: string | null;

  @Index('idx_oidc_provider_record_expires')
  @Column('datetime', { precision: 6, nullable: true })
  expiresAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  consumedAt: Date | null;
}
