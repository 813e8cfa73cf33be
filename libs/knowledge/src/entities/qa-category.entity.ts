import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The province-maintained category tree of the library (e.g. 社会保障 / 养老保险). */
@Entity('qa_category')
@Index('uq_qa_category_name', ['parentId', 'name'], { unique: true })
export class QaCategory {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36, nullable: true })
  parentId: string | null;

  @Column('varchar', { length: 60 })
  name: string;

  /** Names from the root, joined by ' / ' (display and export). */
  @Column('varchar', { length: 400 })
  pathName: string;

  @Column('int', { default: 0 })
  sortOrder: number;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
