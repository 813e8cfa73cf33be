import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { ManuscriptCategory } from './manuscript.entity';

export interface ManuscriptSource {
  type: 'original' | 'reprint';
  unitName?: string;
  url?: string;
}

/** An immutable snapshot: every save makes one; reviews and publications point at one. */
@Entity('manuscript_version')
@Index('uq_manuscript_version', ['manuscriptId', 'number'], { unique: true })
export class ManuscriptVersion {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  manuscriptId: string;

  @Column('int')
  number: number;

  @Column('varchar', { length: 200 })
  title: string;

  @Column('varchar', { length: 1000 })
  summary: string;

  /** Sanitized on the way in: no scripts, no event handlers, no foreign iframes. */
  @Column('text')
  bodyHtml: string;

  @Column('varchar', { length: 16 })
  category: ManuscriptCategory;

  @Column('simple-json')
  source: ManuscriptSource;

  @Column('varchar', { length: 36, nullable: true })
  coverMediaId: string | null;

  @Column('simple-json')
  mediaIds: string[];

  @Column('varchar', { length: 36 })
  authorId: string;

  /** SHA-256 of the content, to tell a real edit from a no-op save. */
  @Column('varchar', { length: 64 })
  contentHash: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
