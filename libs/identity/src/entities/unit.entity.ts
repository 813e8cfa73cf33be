import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum UnitLevel {
  Province = 'province',
  City = 'city',
  County = 'county',
  Township = 'township',
  Department = 'department',
}

/**
 * A node of the units tree. `path` is the materialized path of ids from the root (`/root/city/`),
 * so a subtree is one indexed prefix query.
 */
@Entity('unit')
export class Unit {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 100 })
  name: string;

  @Column('varchar', { length: 16 })
  level: UnitLevel;

  @Column('varchar', { length: 36, nullable: true })
  parentId: string | null;

  @Index('idx_unit_path')
  // ASCII: paths are ids, '-' and '/'; a one-byte charset makes subtree scans several times faster on MySQL.
  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  path: string;

  @Column('int')
  depth: number;

  /** 统一社会信用代码, 18 characters, validated with its check digit. */
  @Index('uq_unit_credit_code', { unique: true })
  @Column('varchar', { length: 18 })
  creditCode: string;

  /** GB/T 2260 administrative division code, 6 digits. */
  @Column('varchar', { length: 6 })
  regionCode: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
