import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** 内部备注: written by the unit's staff on a thread, never shown to the citizen. */
@Entity('inbox_note')
@Index('idx_inbox_note_thread', ['threadId', 'createdAt'])
@Index('idx_inbox_note_unit_path', ['unitPath'])
export class InboxNote {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  threadId: string;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 36 })
  authorId: string;

  @Column('varchar', { length: 100 })
  authorName: string;

  @Column('varchar', { length: 2000 })
  text: string;

  @Column('datetime', { precision: 6 })
  createdAt: Date;
}
