import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a notification is about; the console picks its icon and filter by it. */
export enum NotificationKind {
  /** 待审: a step this reviewer may decide has opened. */
  ReviewWaiting = 'review_waiting',
  /** The author's manuscript passed its whole chain. */
  Approved = 'approved',
  /** The author's manuscript was returned (rejected) with a comment. */
  Returned = 'returned',
  PublishFailed = 'publish_failed',
  NeedsReauth = 'needs_reauth',
  /** 联动任务: an assignment for the unit, its reminder or its escalation. */
  CampaignTask = 'campaign_task',
  /** A duty alert over the officer's subtree. */
  Alert = 'alert',
  /** 政民互动: a thread given to the user, or its first-response deadline coming. */
  InboxTask = 'inbox_task',
}

/**
 * One message for one user (站内通知). Written where the event happens, for recipients computed
 * from roles over the event's unit, so nobody is told of anything outside their scope; the unit
 * path is kept so a user who loses the role stops seeing it.
 */
@Entity('notification')
@Index('idx_notification_user', ['userId', 'createdAt'])
@Index('idx_notification_unread', ['userId', 'readAt'])
export class Notification {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 36 })
  userId: string;

  @Column('varchar', { length: 32 })
  kind: NotificationKind;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 200 })
  titleZh: string;

  @Column('varchar', { length: 200 })
  titleEn: string;

  @Column('varchar', { length: 1000 })
  bodyZh: string;

  @Column('varchar', { length: 1000 })
  bodyEn: string;

  /** What to open: `manuscript`, `publication`, `account`, `campaign`, `campaign_assignment`, `duty_alert`. */
  @Column('varchar', { length: 32 })
  resourceType: string;

  @Column('varchar', { length: 36 })
  resourceId: string;

  /** The occurrence and the user: a repeated event (a job delivered twice) writes nothing more. */
  @Index('uq_notification_dedupe', { unique: true })
  @Column({ type: 'varchar', length: 191, charset: 'ascii' })
  dedupeKey: string;

  @Column('datetime', { precision: 6 })
  createdAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  readAt: Date | null;
}
