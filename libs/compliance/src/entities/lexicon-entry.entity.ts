import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Severity } from '../finding';
import { LexiconKind } from '../lexicon/lexicon-kind';

/** One entry of a lexicon version; keyed by version and position (versions are copied whole). */
@Entity('lexicon_entry')
@Index('idx_lexicon_entry_kind', ['versionId', 'kind', 'seq'])
export class LexiconEntry {
  @PrimaryColumn('varchar', { length: 36 })
  versionId: string;

  @PrimaryColumn('int')
  seq: number;

  @Column('varchar', { length: 24 })
  kind: LexiconKind;

  @Column('varchar', { length: 200 })
  term: string;

  /** The correction, the standard wording, or for a leader the current title(s) separated by |. */
  @Column('varchar', { length: 500, nullable: true })
  replacement: string | null;

  /** Null: the kind's default. */
  @Column('varchar', { length: 8, nullable: true })
  severity: Severity | null;

  @Column('varchar', { length: 500, nullable: true })
  note: string | null;
}
