import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { Role } from '../roles';

export interface ApiKeyGrant {
  role: Role;
  unitId: string;
  level?: number | null;
}

/** A machine client's key: shown once, stored as a SHA-256 hash (the secret has 256 random bits). */
@Entity('api_key')
export class ApiKey {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 100 })
  name: string;

  @Index('idx_api_key_owner')
  @Column('varchar', { length: 36 })
  ownerId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Index('idx_api_key_unit_path')
  // ASCII: paths are ids, '-' and '/'; a one-byte charset makes subtree scans several times faster on MySQL.
  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 64 })
  secretHash: string;

  @Column('simple-json')
  grants: ApiKeyGrant[];

  @Column('datetime', { precision: 6, nullable: true })
  expiresAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  lastUsedAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
