import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Who made the latest post: through Tongfa's publishing, or natively in the platform's app. */
export const POST_SOURCES = ['tongfa', 'native'] as const;
export type PostSource = (typeof POST_SOURCES)[number];

/**
 * One account's activity on one day (Asia/Shanghai calendar day), written by the daily roll-up.
 *
 * Scale (10,000 accounts × years): rows are narrow (~150 bytes) and clustered by the primary key
 * (accountId, day), so an account's history is one contiguous range and a year is 3.65 M rows. We
 * roll up rather than partition: rows older than ACTIVITY_DAILY_RETENTION_DAYS are folded into one
 * row per ISO week (`days` = 7, `day` = its Monday) by the same sweep, which bounds the table at
 * about 4 M daily rows plus 0.5 M weekly rows a year on both drivers. MariaDB RANGE partitions by
 * month would also drop old data cheaply, but they force the partition column into every unique key,
 * live outside what the entity-generated migrations know (a regen would not carry them), do not exist
 * in the embedded SQLite mode, and would not lighten the dashboard, which reads the per-account
 * summary (MonitoredAccount, one row per account) and never scans this table.
 */
@Entity('monitoring_activity_day')
@Index('idx_activity_day_unit_path', ['unitPath', 'day'])
export class ActivityDay {
  @PrimaryColumn('varchar', { length: 36 })
  accountId: string;

  /** `YYYY-MM-DD` in Asia/Shanghai; for a folded week, its Monday. */
  @PrimaryColumn('varchar', { length: 10 })
  day: string;

  /** 1 for a day; 7 for a week folded by the retention roll-up. */
  @Column('smallint', { default: 1 })
  days: number;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 64 })
  platform: string;

  /** Posts published through Tongfa (publication targets that reached `published`). */
  @Column('int', { default: 0 })
  postsTongfa: number;

  /** Posts made outside Tongfa, found through the plugin's post listing. */
  @Column('int', { default: 0 })
  postsNative: number;

  @Column('datetime', { precision: 6, nullable: true })
  lastPostAt: Date | null;

  @Column('varchar', { length: 1000, nullable: true })
  lastPostUrl: string | null;

  @Column('varchar', { length: 8, nullable: true })
  lastPostSource: PostSource | null;

  /** Filled by the later `metrics` capability where the platform gives them; null until then. */
  @Column('int', { nullable: true })
  followers: number | null;

  @Column('int', { nullable: true })
  reads: number | null;

  @Column('int', { nullable: true })
  likes: number | null;

  @Column('int', { nullable: true })
  comments: number | null;
}
