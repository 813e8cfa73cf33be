import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A group of the province's synonym table; the first term is canonical. */
@Entity('qa_synonym')
export class QaSynonym {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('simple-json')
  terms: string[];

  @Column('int')
  sortOrder: number;

  @Column('varchar', { length: 36, nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
