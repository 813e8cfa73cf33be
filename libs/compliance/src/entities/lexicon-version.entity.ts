import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum LexiconStatus {
  Draft = 'draft',
  Published = 'published',
}

/**
 * One version of the province's lexicon. A version is never edited: an import makes a new draft
 * (the newest version's entries plus the imported ones) and publishing makes it the one every
 * check uses. `number` is unique, so two processes racing to create the same version fail one.
 */
@Entity('lexicon_version')
@Index('uq_lexicon_version_number', ['number'], { unique: true })
@Index('idx_lexicon_version_status', ['status', 'number'])
export class LexiconVersion {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('int')
  number: number;

  @Column('varchar', { length: 16 })
  status: LexiconStatus;

  @Column('varchar', { length: 36, nullable: true })
  basedOnId: string | null;

  @Column('int')
  entryCount: number;

  @Column('varchar', { length: 500, nullable: true })
  note: string | null;

  @Column('varchar', { length: 36, nullable: true })
  createdBy: string | null;

  @Column('datetime', { precision: 6 })
  createdAt: Date;

  @Column('varchar', { length: 36, nullable: true })
  publishedBy: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  publishedAt: Date | null;
}
