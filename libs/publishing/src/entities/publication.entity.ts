import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PublicationPriority } from '../priority';

/** The summary of a publication's targets, recomputed whenever one of them changes. */
export const PUBLICATION_STATUSES = [
  'scheduled',
  'publishing',
  'published',
  'partial',
  'failed',
  'retracting',
  'retracted',
  'superseded',
] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

/** One approved version sent to a set of accounts; its targets are the outbox. */
@Entity('publication')
@Index('idx_publication_unit_path', ['unitPath', 'createdAt'])
// A province-wide list walks this in order and stops after a page instead of sorting the subtree.
@Index('idx_publication_created', ['createdAt'])
@Index('uq_publication_idempotency', ['createdBy', 'idempotencyKey'], { unique: true })
export class Publication {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index('idx_publication_manuscript')
  @Column('varchar', { length: 36 })
  manuscriptId: string;

  @Column('varchar', { length: 36 })
  versionId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 36 })
  createdBy: string;

  /** The client's Idempotency-Key header (or a generated one): the same key never makes a second publication. */
  @Column('varchar', { length: 128 })
  idempotencyKey: string;

  /**
   * SHA-256 of what the key was first used for (operation, manuscript or original publication,
   * canonical body): the same key with anything else is refused. Null on rows written before it.
   */
  @Column('varchar', { length: 64, nullable: true })
  requestHash: string | null;

  @Column('varchar', { length: 16 })
  status: PublicationStatus;

  /** emergency, normal or campaign, from the manuscript's category when the publication is made. */
  @Column('varchar', { length: 16, default: 'normal' })
  priority: PublicationPriority;

  @Column('datetime', { precision: 6, nullable: true })
  scheduledAt: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  retractReason: string | null;

  @Column('varchar', { length: 36, nullable: true })
  retractedBy: string | null;

  /** A correction (更正) points at the publication whose posts it corrects; null otherwise. */
  @Index('idx_publication_correction_of')
  @Column('varchar', { length: 36, nullable: true })
  correctionOf: string | null;

  @Column('varchar', { length: 500, nullable: true })
  correctionReason: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
