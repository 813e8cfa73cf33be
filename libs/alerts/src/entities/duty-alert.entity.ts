import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What happened; the console groups and filters by it. */
export enum DutyAlertKind {
  ReviewEscalated = 'review_escalated',
  PublishFailed = 'publish_failed',
  AccountNeedsReauth = 'account_needs_reauth',
  /** 联动任务: a unit's assignment nears its deadline. */
  CampaignReminder = 'campaign_reminder',
  /** 联动任务: assignments missed the deadline (to the unit, and to the issuer). */
  CampaignOverdue = 'campaign_overdue',
  /** A 答问 stops being valid within 30 days: its owner unit should update or confirm it. */
  QaEntryExpiring = 'qa_entry_expiring',
  /** 舆情: an incoming comment or message matched the sensitive lexicon or a public-opinion keyword. */
  InboxSensitive = 'inbox_sensitive',
  /** 政民互动: a thread passed its first-response deadline unanswered (escalated to the duty officers). */
  InboxOverdue = 'inbox_overdue',
  /** 政民互动: hiding or deleting a citizen's comment finally failed (the comment is still up). */
  InboxModerationFailed = 'inbox_moderation_failed',
  /** 监测预警: an account nears an inspection veto (e.g. day 7, 10 or 13 without a post); to the unit. */
  MonitoringWarning = 'monitoring_warning',
  /** 监测: an account breaches an inspection rule; to the unit and to its supervising unit. */
  MonitoringBreach = 'monitoring_breach',
  /** 整改: a rectification order passed its deadline unanswered; to the unit (and so its on-call). */
  RectificationOverdue = 'rectification_overdue',
  /** 整改: a supervisor escalated an order after re-checking it; to the unit over the ordered one. */
  RectificationEscalated = 'rectification_escalated',
}

export enum DutyAlertSeverity {
  Info = 'info',
  Warning = 'warning',
  Critical = 'critical',
}

/**
 * 值班提醒: something the duty officers over a unit must see and acknowledge. Scoped by the unit
 * path like every other record, so a county's duty officer sees the county's subtree only.
 */
@Entity('duty_alert')
@Index('idx_duty_alert_unit_path', ['unitPath', 'createdAt'])
@Index('idx_duty_alert_open', ['acknowledgedAt', 'unitPath'])
export class DutyAlert {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 32 })
  kind: DutyAlertKind;

  @Column('varchar', { length: 16 })
  severity: DutyAlertSeverity;

  @Column('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('varchar', { length: 200 })
  titleZh: string;

  @Column('varchar', { length: 200 })
  titleEn: string;

  @Column('varchar', { length: 1000 })
  messageZh: string;

  @Column('varchar', { length: 1000 })
  messageEn: string;

  /** What the alert is about, for the console to link to: `manuscript`, `publication`, `account`. */
  @Column('varchar', { length: 32 })
  resourceType: string;

  @Column('varchar', { length: 36 })
  resourceId: string;

  /**
   * One alert per occurrence: the raiser names the occurrence (e.g. version + step), and the unique
   * index makes a late or repeated job raise nothing more.
   */
  @Index('uq_duty_alert_dedupe', { unique: true })
  @Column('varchar', { length: 191 })
  dedupeKey: string;

  /** From the clock port, not the database, so tests that move time see consistent times. */
  @Column('datetime', { precision: 6 })
  createdAt: Date;

  @Column('datetime', { precision: 6, nullable: true })
  acknowledgedAt: Date | null;

  @Column('varchar', { length: 36, nullable: true })
  acknowledgedBy: string | null;

  /** The problem is dealt with (after or instead of acknowledging it). */
  @Column('datetime', { precision: 6, nullable: true })
  resolvedAt: Date | null;

  @Column('varchar', { length: 36, nullable: true })
  resolvedBy: string | null;
}
