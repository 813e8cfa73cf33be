import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export interface QaChannelAnswers {
  newMedia?: string | null;
  web?: string | null;
  hotline?: string | null;
}

export interface QaPolicyBasis {
  title: string;
  docNumber?: string | null;
  url?: string | null;
  /** The qa_policy_document row this citation resolved to. */
  documentId?: string;
}

/** An immutable snapshot of an entry: every edit makes one; reviews decide one. */
@Entity('qa_entry_version')
@Index('uq_qa_entry_version', ['entryId', 'number'], { unique: true })
export class QaEntryVersion {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  entryId: string;

  @Column('int')
  number: number;

  @Column('varchar', { length: 300 })
  question: string;

  @Column('simple-json')
  similarQuestions: string[];

  /** Sanitized rich text. */
  @Column('text')
  answerHtml: string;

  /** Short plain-text answers per channel (新媒体, 网站, 热线). */
  @Column('simple-json')
  channelAnswers: QaChannelAnswers;

  @Column('varchar', { length: 36, nullable: true })
  categoryId: string | null;

  @Column('simple-json')
  keywords: string[];

  @Column('simple-json')
  policyBasis: QaPolicyBasis[];

  @Column('datetime', { precision: 6, nullable: true })
  effectiveFrom: Date | null;

  @Column('datetime', { precision: 6, nullable: true })
  effectiveUntil: Date | null;

  @Column('varchar', { length: 36, nullable: true })
  overridesEntryId: string | null;

  /** Internal note for reviewers and editors; never returned to API-key clients. */
  @Column('varchar', { length: 2000, nullable: true })
  internalNote: string | null;

  @Column('varchar', { length: 36 })
  authorId: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
