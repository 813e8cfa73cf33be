import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An account's platform credentials, sealed by the vault: never readable without the key ring.
 * `keyId` names the key that sealed it, so rotation can re-seal row by row while both keys work.
 */
@Entity('account_credential')
export class AccountCredential {
  /** The account id: one credential set per account. */
  @PrimaryColumn('varchar', { length: 36 })
  accountId: string;

  @Column('varchar', { length: 32 })
  keyId: string;

  /** 'aes-256-gcm' or 'sm4-ctr-hmac-sm3' (国密). */
  @Column('varchar', { length: 32 })
  algorithm: string;

  @Column('text')
  sealed: string;

  /** When the access token expires (null: does not expire, e.g. app secrets). */
  @Column('datetime', { precision: 6, nullable: true })
  expiresAt: Date | null;

  /** When the refresh job should renew it (before expiry, with jitter). */
  @Column('datetime', { precision: 6, nullable: true })
  refreshAt: Date | null;

  @Column('int', { default: 0 })
  refreshFailures: number;

  @Column('int', { default: 1 })
  version: number;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
