import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AuditResult = 'success' | 'failure';

/**
 * One record of the append-only audit log (留痕). `seq` is assigned under the chain-head lock, so
 * it has no gaps: a missing number means a deleted row. `hash` covers every field and `prevHash`.
 */
@Entity('audit_entry')
@Index('idx_audit_unit_path', ['unitPath', 'seq'])
@Index('idx_audit_at', ['at'])
export class AuditEntry {
  @PrimaryColumn('bigint', { transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  seq: number;

  @Column('datetime', { precision: 6 })
  at: Date;

  @Column('varchar', { length: 36, nullable: true })
  actorId: string | null;

  @Column('varchar', { length: 64, nullable: true })
  actorName: string | null;

  @Column('varchar', { length: 36, nullable: true })
  unitId: string | null;

  /** The unit path of the affected unit (or the actor's), for scoped reading. */
  // ASCII: paths are ids, '-' and '/'; a one-byte charset makes subtree scans several times faster on MySQL.
  @Column({ type: 'varchar', length: 400, nullable: true, charset: 'ascii' })
  unitPath: string | null;

  @Index('idx_audit_action')
  @Column('varchar', { length: 64 })
  action: string;

  @Column('varchar', { length: 32, nullable: true })
  targetType: string | null;

  @Column('varchar', { length: 64, nullable: true })
  targetId: string | null;

  @Column('varchar', { length: 16 })
  result: AuditResult;

  @Column('simple-json', { nullable: true })
  before: Record<string, unknown> | null;

  @Column('simple-json', { nullable: true })
  after: Record<string, unknown> | null;

  @Column('varchar', { length: 64, nullable: true })
  ip: string | null;

  @Column('varchar', { length: 64, nullable: true })
  requestId: string | null;

  @Column('varchar', { length: 64 })
  prevHash: string;

  @Column('varchar', { length: 64 })
  hash: string;
}
