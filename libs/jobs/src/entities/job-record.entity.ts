import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type JobState = 'waiting' | 'active' | 'completed' | 'failed';

/**
 * A job of the embedded queue (no Redis): the same job catalogue as Bull, kept in the database
 * and run in-process. `jobKey` dedupes like Bull's jobId.
 */
@Entity('job_record')
@Index('idx_job_due', ['state', 'runAt'])
@Index('idx_job_due_rank', ['state', 'priority', 'runAt'])
export class JobRecord {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 64 })
  queue: string;

  @Column('varchar', { length: 64 })
  name: string;

  @Index('uq_job_key', { unique: true })
  @Column('varchar', { length: 191 })
  jobKey: string;

  @Column('simple-json')
  payload: unknown;

  @Column('varchar', { length: 16 })
  state: JobState;

  @Column('datetime', { precision: 6 })
  runAt: Date;

  /**
   * Due jobs run lowest first (JobOptions.priority). 0, the default, is every job that gives none
   * (the short recurring sweeps), so a drain of ranked publishes never holds them back.
   */
  @Column('int', { default: 0 })
  priority: number;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('int', { default: 3 })
  maxAttempts: number;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('varchar', { length: 64, nullable: true })
  lockedBy: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  lockedUntil: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
