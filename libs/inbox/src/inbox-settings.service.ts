import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_WORKING_HOURS, parseWorkingHours, WorkingHours } from '@tongfa/core';
import { pathInScope } from '@tongfa/database';
import { Actor, Permission, Unit } from '@tongfa/identity';
import { InboxUnitSetting } from './entities';
import { InboxError, InboxException } from './inbox.exception';
import { unitStaff } from './unit-staff';

export interface InboxSettings {
  unitId: string;
  workingHours: WorkingHours;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  remindBeforeMinutes: number;
  reviewReplies: boolean;
  ownerUserId: string | null;
}

/**
 * Defaults: answer within one working day (450 working minutes, 7.5 h), close within five, a
 * reminder an hour before the first-response deadline; no review step; editors take turns.
 */
export const DEFAULT_INBOX_SETTINGS: Omit<InboxSettings, 'unitId'> = {
  workingHours: DEFAULT_WORKING_HOURS,
  firstResponseMinutes: 450,
  resolutionMinutes: 5 * 450,
  remindBeforeMinutes: 60,
  reviewReplies: false,
  ownerUserId: null,
};

export type InboxSettingsPatch = Partial<Omit<InboxSettings, 'unitId'>>;

@Injectable()
export class InboxSettingsService {
  private readonly listeners: ((unitId: string) => void)[] = [];

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Calls `fn` with the unit whose settings this process has just changed (the ingest's cache listens). */
  onChange(fn: (unitId: string) => void): void {
    this.listeners.push(fn);
  }

  /** The unit's settings, or the defaults when it has none; `row` when the caller has already read it. */
  async forUnit(
    unitId: string,
    m: EntityManager = this.ds.manager,
    row?: InboxUnitSetting | null,
  ): Promise<InboxSettings & { lastAssigneeId: string | null }> {
    if (row === undefined) row = await m.findOneBy(InboxUnitSetting, { unitId });
    if (!row) return { unitId, ...DEFAULT_INBOX_SETTINGS, lastAssigneeId: null };
    return {
      unitId,
      workingHours: row.workingHours,
      firstResponseMinutes: row.firstResponseMinutes,
      resolutionMinutes: row.resolutionMinutes,
      remindBeforeMinutes: row.remindBeforeMinutes,
      reviewReplies: row.reviewReplies,
      ownerUserId: row.ownerUserId,
      lastAssigneeId: row.lastAssigneeId,
    };
  }

  async get(actor: Actor, unitId: string): Promise<InboxSettings> {
    await this.unitIn(actor, unitId, Permission.InboxRead);
    const { lastAssigneeId: _, ...s } = await this.forUnit(unitId);
    return s;
  }

  /** Unit admins over the unit change its settings; the round-robin cursor is kept. */
  async update(
    actor: Actor,
    unitId: string,
    patch: InboxSettingsPatch,
  ): Promise<{ before: InboxSettings; after: InboxSettings; unitPath: string }> {
    const unit = await this.unitIn(actor, unitId, Permission.UnitWrite);
    const current = await this.forUnit(unitId);
    const { lastAssigneeId, ...before } = current;
    const after: InboxSettings = { ...before, ...patch, unitId };
    try {
      parseWorkingHours(after.workingHours);
    } catch {
      throw new InboxException(InboxError.SettingsInvalid, {}, [
        { field: 'workingHours', message: '工作时段须为按时间先后、互不重叠的 HH:MM 段 / ordered, non-overlapping HH:MM periods' },
      ]);
    }
    if (after.remindBeforeMinutes >= after.firstResponseMinutes) {
      throw new InboxException(InboxError.SettingsInvalid, {}, [
        { field: 'remindBeforeMinutes', message: '提醒提前量须小于首次响应时限 / must be less than firstResponseMinutes' },
      ]);
    }
    if (after.ownerUserId) {
      if (!(await unitStaff(this.ds.manager, unitId)).includes(after.ownerUserId)) {
        throw new InboxException(InboxError.SettingsInvalid, {}, [
          { field: 'ownerUserId', message: '负责人须为本单位在职的编辑或单位管理员 / an active editor or admin of the unit' },
        ]);
      }
    }
    await this.ds.getRepository(InboxUnitSetting).save({ ...after, unitPath: unit.path, lastAssigneeId });
    for (const fn of this.listeners) fn(unitId);
    return { before, after, unitPath: unit.path };
  }

  private async unitIn(actor: Actor, unitId: string, permission: Permission): Promise<Unit> {
    const unit = await this.ds.getRepository(Unit).findOneBy({ id: unitId });
    if (!unit || !pathInScope(unit.path, actor.scope(permission))) throw new InboxException(InboxError.UnitNotFound);
    return unit;
  }
}
