import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A signing key of Tongfa's OpenID provider, its private JWK sealed under TONGFA_SECRET_KEY. */
@Entity('oidc_signing_key')
export class OidcSigningKey {
  /** `primary` for the key in use; the first hub process to start creates it. */
  @PrimaryColumn('varchar', { length: 32 })
  slot: string;

  @Column('varchar', { length: 64 })
  kid: string;

  @Column('varchar', { length: 16 })
  alg: string;

  @Column('text')
  sealedJwk: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
