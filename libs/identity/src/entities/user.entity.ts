import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum UserStatus {
  Active = 'active',
  Disabled = 'disabled',
}

@Entity('user')
@Index('idx_user_unit_path', ['unitPath', 'id'])
// One Tongfa user per identity at the provincial IdP, even when two callbacks race.
@Index('uq_user_oidc', ['oidcIssuer', 'oidcSubject'], { unique: true })
export class User {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('uq_user_username', { unique: true })
  @Column('varchar', { length: 64 })
  username: string;

  @Column('varchar', { length: 64 })
  displayName: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  /** The unit's materialized path, copied here so a scoped list is one index range. */
  // ASCII: paths are ids, '-' and '/'; a one-byte charset makes subtree scans several times faster on MySQL.
  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 16, default: UserStatus.Active })
  status: UserStatus;

  @Column('varchar', { length: 255, nullable: true })
  passwordHash: string | null;

  @Column('boolean', { default: false })
  mustChangePassword: boolean;

  @Column('datetime', { precision: 6, nullable: true })
  passwordChangedAt: Date | null;

  @Column('int', { default: 0 })
  failedLoginCount: number;

  @Column('datetime', { precision: 6, nullable: true })
  lockedUntil: Date | null;

  /** TOTP secret, encrypted (AES-256-GCM under a key derived from TONGFA_SECRET_KEY). */
  @Column('varchar', { length: 255, nullable: true })
  totpSecret: string | null;

  @Column('boolean', { default: false })
  totpEnabled: boolean;

  /**
   * The 30-second time step of the last TOTP code accepted: a code is good once, so one seen over
   * a shoulder or replayed from a proxy log within its window is refused (RFC 6238 §5.2).
   */
  @Column('int', { nullable: true })
  totpLastStep: number | null;

  @Column('varchar', { length: 255, nullable: true })
  oidcIssuer: string | null;

  @Column('varchar', { length: 255, nullable: true })
  oidcSubject: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
