import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One try at the platform, written before the call is made (留痕 and crash forensics). */
@Entity('publication_attempt')
@Index('idx_attempt_target', ['targetId', 'number'])
export class PublicationAttempt {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  targetId: string;

  @Column('int')
  number: number;

  /** publish, check (findExisting after a lost attempt), poll, retract. */
  @Column('varchar', { length: 16 })
  kind: string;

  @Column('varchar', { length: 128 })
  idempotencyKey: string;

  @Column('varchar', { length: 64 })
  worker: string;

  @Column('datetime', { precision: 6 })
  startedAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  finishedAt: Date | null;

  @Column('varchar', { length: 32, nullable: true })
  outcome: string | null;

  @Column('varchar', { length: 1000, nullable: true })
  error: string | null;
}
