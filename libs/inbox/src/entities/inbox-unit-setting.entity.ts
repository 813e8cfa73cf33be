import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WorkingHours } from '@tongfa/core';

/**
 * A unit's inbox settings; a unit without a row uses the defaults (DEFAULT_INBOX_SETTINGS). Kept
 * here rather than on the unit so identity does not learn about the inbox.
 */
@Entity('inbox_unit_setting')
export class InboxUnitSetting {
  @PrimaryColumn('varchar', { length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 400, charset: 'ascii' })
  unitPath: string;

  @Column('simple-json')
  workingHours: WorkingHours;

  /** Working minutes to the first answer. */
  @Column('int')
  firstResponseMinutes: number;

  /** Working minutes to close the thread. */
  @Column('int')
  resolutionMinutes: number;

  /** Working minutes before the first-response deadline at which the assignee is reminded. */
  @Column('int')
  remindBeforeMinutes: number;

  /** One review step before a reply is sent (a reviewer of the unit approves it). */
  @Column('boolean', { default: false })
  reviewReplies: boolean;

  /** A named owner takes every new thread; without one, the unit's editors take turns. */
  @Column('varchar', { length: 36, nullable: true })
  ownerUserId: string | null;

  /** The editor who took the last thread (the round robin's cursor). */
  @Column('varchar', { length: 36, nullable: true })
  lastAssigneeId: string | null;
}
