import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type DeliveryState = 'pending' | 'sent' | 'failed';

/**
 * One message to one bot channel: outside work, so a row with a state and a due time. The sweep
 * sends what is due, retries transient failures with backoff and gives up (failed) on permanent
 * ones or after the last attempt.
 */
@Entity('notification_delivery')
@Index('idx_notification_delivery_due', ['state', 'nextAttemptAt'])
@Index('idx_notification_delivery_channel', ['channelId', 'createdAt'])
export class NotificationDelivery {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  channelId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 32 })
  kind: string;

  @Column('varchar', { length: 200 })
  title: string;

  /** The markdown body as sent. */
  @Column('varchar', { length: 2000 })
  text: string;

  /** The event's key and the channel: an event reaches a channel once. */
  @Index('uq_notification_delivery_dedupe', { unique: true })
  @Column({ type: 'varchar', length: 191, charset: 'ascii' })
  dedupeKey: string;

  @Column('varchar', { length: 16 })
  state: DeliveryState;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('datetime', { precision: 6, nullable: true })
  nextAttemptAt: Date | null;

  /** When a sweep claimed the row; a claim older than the lease is taken over. */
  @Column('datetime', { precision: 6, nullable: true })
  claimedAt: Date | null;

  @Column('varchar', { length: 300, nullable: true })
  lastError: string | null;

  @Column('datetime', { precision: 6, nullable: true })
  sentAt: Date | null;

  @Column('datetime', { precision: 6 })
  createdAt: Date;
}
