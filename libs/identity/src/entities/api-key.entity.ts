import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { Role } from '../roles';

/**
 * Capabilities a key may carry besides role grants. `qa:query`: websites, hotline systems and
 * chatbots query the Q&A library's published answers for the key's unit (public fields only).
 */
export const API_KEY_SCOPES = ['qa:query'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

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

  /** Scopes beyond the grants (API_KEY_SCOPES); null for none. */
  @Column('simple-json', { nullable: true })
  scopes: ApiKeyScope[] | null;

  /** Web origins a browser may call from with this key (CORS allowlist); null or empty: none. */
  @Column('simple-json', { nullable: true })
  allowedOrigins: string[] | null;

  @Column('datetime', { precision: 6, nullable: true })
  expiresAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  lastUsedAt: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
