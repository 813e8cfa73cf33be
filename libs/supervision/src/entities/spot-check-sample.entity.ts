import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const SNAPSHOT_STATES = ['pending', 'taking', 'done', 'failed', 'none'] as const;
export type SnapshotState = (typeof SNAPSHOT_STATES)[number];

/**
 * One account of a round's population, drawn or not, with what it was when the round opened (names,
 * level, stratum) so the draw can be repeated and the 通报 reads the same later. A drawn row is also
 * the snapshot's work row: the sweep takes `pending` rows whose `nextSnapshotAt` is due.
 */
@Entity('supervision_sample')
@Index('idx_supervision_sample_snapshot', ['snapshotState', 'nextSnapshotAt'])
@Index('idx_supervision_sample_round', ['roundId', 'drawn', 'unitPath'])
export class SpotCheckSample {
  @PrimaryColumn('varchar', { length: 36 })
  roundId: string;

  @PrimaryColumn('varchar', { length: 36 })
  accountId: string;

  /** Drawn into the sample (the rest are the population it was drawn from). */
  @Column('boolean')
  drawn: boolean;

  @Column('varchar', { length: 100 })
  accountName: string;

  @Column('varchar', { length: 64 })
  platform: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 100 })
  unitName: string;

  @Column('varchar', { length: 16 })
  unitLevel: string;

  /** The account's public page (where the platform or the sandbox has one). */
  @Column('varchar', { length: 1000, nullable: true })
  pageUrl: string | null;

  /** `none` for accounts not drawn or without a public page; drawn ones with a page start `pending`. */
  @Column('varchar', { length: 8 })
  snapshotState: SnapshotState;

  @Column('varchar', { length: 36, nullable: true })
  snapshotMediaId: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  snapshotAt: Date | null;

  @Column('int', { default: 0 })
  snapshotAttempts: number;

  @Column('datetime', { precision: 6, nullable: true })
  nextSnapshotAt: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  snapshotError: string | null;
}
