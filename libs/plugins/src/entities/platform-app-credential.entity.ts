import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The hub's own registration on a platform (the manifest's `scope: 'app'` credential fields, e.g.
 * an OAuth client id and secret), entered once by the platform operator and sealed by the vault
 * under the pseudo-account `app:<platform>`.
 */
@Entity('platform_app_credential')
export class PlatformAppCredential {
  @PrimaryColumn('varchar', { length: 64 })
  platform: string;

  @Column('varchar', { length: 32 })
  keyId: string;

  @Column('varchar', { length: 32 })
  algorithm: string;

  @Column('text')
  sealed: string;

  @Column('int', { default: 1 })
  version: number;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
