import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ItemDirection = 'in' | 'out';
export type ItemKind = 'text' | 'image' | 'voice' | 'video' | 'event' | 'other';

/**
 * One comment or message as the platform delivered it. `(accountId, platformItemId)` is unique:
 * a webhook retried three times or a comment page read twice stores it once.
 */
@Entity('inbox_item')
@Index('uq_inbox_item_platform', ['accountId', 'platformItemId'], { unique: true })
@Index('idx_inbox_item_thread', ['threadId', 'createdAt'])
export class InboxItem {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  threadId: string;

  @Column('varchar', { length: 36 })
  accountId: string;

  /** The platform's id (comment id, WeChat MsgId): the dedupe key. */
  @Column('varchar', { length: 200 })
  platformItemId: string;

  /** `out`: written by the account itself (our reply, or one made in the platform's app). */
  @Column('varchar', { length: 8 })
  direction: ItemDirection;

  @Column('varchar', { length: 16 })
  kind: ItemKind;

  /** The comment this one answers, in a comment tree. */
  @Column('varchar', { length: 200, nullable: true })
  parentId: string | null;

  @Column('varchar', { length: 200 })
  author: string;

  @Column('varchar', { length: 200, nullable: true })
  authorId: string | null;

  @Column('text')
  text: string;

  /** When the platform says it was written. */
  @Column('datetime', { precision: 6 })
  createdAt: Date;

  /** When the hub stored it. */
  @Column('datetime', { precision: 6 })
  receivedAt: Date;
}
