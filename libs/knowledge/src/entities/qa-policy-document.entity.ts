import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A policy document entries cite as their basis (政策依据); repealing it flags every citing entry. */
@Entity('qa_policy_document')
@Index('uq_qa_policy_document_key', ['citationKey'], { unique: true })
export class QaPolicyDocument {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 300 })
  title: string;

  @Column('varchar', { length: 100, nullable: true })
  docNumber: string | null;

  @Column('varchar', { length: 500, nullable: true })
  url: string | null;

  /** 文号 when given, else the title: how two citations are known to name one document. */
  @Column('varchar', { length: 300 })
  citationKey: string;

  @Column('boolean', { default: false })
  repealed: boolean;

  @Column('datetime', { precision: 6, nullable: true })
  repealedAt: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}

/** Which entry's current or live version cites which document. */
@Entity('qa_policy_citation')
@Index('idx_qa_policy_citation_document', ['documentId'])
export class QaPolicyCitation {
  @PrimaryColumn('varchar', { length: 36 })
  entryId: string;

  @PrimaryColumn('varchar', { length: 36 })
  documentId: string;
}
