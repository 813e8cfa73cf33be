import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The single row that serialises appends (locked FOR UPDATE on MySQL) and remembers where the
 * chain starts after retention purged older entries (the anchor).
 */
@Entity('audit_head')
export class AuditHead {
  @PrimaryColumn('int')
  id: number;

  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  lastSeq: number;

  @Column('varchar', { length: 64 })
  lastHash: string;

  /** Entries with seq <= anchorSeq were purged by retention; anchorHash is the hash of the last one. */
  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  anchorSeq: number;

  @Column('varchar', { length: 64 })
  anchorHash: string;
}
