import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { AuditService } from '@tongfa/audit';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { Unit } from '@tongfa/identity';
import { JobHandler } from '@tongfa/jobs';
import { Assignment, AssignmentReminder, Campaign, ReminderKind } from './entities';
import { bulkInsert } from './sql';

const MIN = 60_000;
const BATCH = 2000;

/**
 * Reminders before the deadline (to the unit's editors and duty officers) and escalation at it
 * (the assignment turns overdue; the unit admin and the issuer are told). Each is a row of
 * campaign_assignment_reminder, counted on the assignment for the report. The assignment's
 * `nextReminderAt` says when the sweep should look again, so the database decides the work; a
 * missed sweep sends only the latest due reminder, never a burst of stale ones.
 */
@Injectable()
export class RemindersService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly alerts: AlertsService,
    private readonly audit: AuditService,
  ) {}

  @JobHandler('campaign.reminder-sweep')
  async handleReminderSweep(): Promise<{ reminded: number; overdue: number }> {
    const reminded = await this.remind();
    const overdue = await this.markOverdue();
    return { reminded, overdue };
  }

  /** Due reminders of open campaigns, grouped by campaign. */
  async remind(): Promise<number> {
    const now = this.clock.now();
    const due = await this.ds
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .innerJoin(Campaign, 'c', "c.id = a.campaignId AND c.status = 'open'")
      .where("a.nextReminderAt <= :now AND a.state IN ('pending', 'accepted') AND a.deadline > :now", { now })
      .orderBy('a.nextReminderAt', 'ASC')
      .limit(BATCH)
      .getMany();
    let n = 0;
    for (const [campaignId, rows] of group(due, (a) => a.campaignId)) {
      const c = await this.ds.getRepository(Campaign).findOneByOrFail({ id: campaignId });
      const left = c.deadline.getTime() - now.getTime();
      // The latest point passed (the smallest offset already due) and the next one to come.
      const passed = c.reminders.filter((r) => r * MIN >= left);
      const offset = passed.length ? Math.min(...passed) : null;
      const upcoming = c.reminders.filter((r) => r * MIN < left);
      const next = upcoming.length ? new Date(c.deadline.getTime() - Math.max(...upcoming) * MIN) : null;
      if (offset === null) {
        await this.reschedule(rows, next);
        continue;
      }
      await this.ds.transaction(async (m) => {
        const fresh = await this.record(m, rows, 'reminder', offset, ['editor', 'duty_officer'], { nextReminderAt: next });
        n += fresh.length;
        for (const [unitId, unitRows] of group(fresh, (a) => a.unitId)) {
          await this.alerts.raise(
            {
              kind: DutyAlertKind.CampaignReminder,
              severity: DutyAlertSeverity.Warning,
              unitId,
              unitPath: unitRows[0]!.unitPath,
              title: { zh: `联动任务即将截止：${c.title}`, en: `Campaign due soon: ${c.title}` },
              message: {
                zh: `联动任务“${c.title}”将于 ${offset} 分钟后截止，本单位尚有 ${unitRows.length} 个平台账号未转载（${unitRows.map((a) => a.platform).join('、')}）。`,
                en: `"${c.title}" is due in ${offset} minutes; ${unitRows.length} of the unit's accounts have not reposted it (${unitRows.map((a) => a.platform).join(', ')}).`,
              },
              link: { type: 'campaign_assignment', id: unitRows[0]!.id },
              dedupeKey: `campaign_reminder:${c.id}:${unitId}:${offset}`,
            },
            m,
          );
        }
      });
    }
    return n;
  }

  private async reschedule(rows: Assignment[], next: Date | null): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .update(Assignment)
      .set({ nextReminderAt: next })
      .where('id IN (:...ids)', { ids: rows.map((a) => a.id) })
      .execute();
  }

  /**
   * At the deadline: what is still pending or accepted turns overdue, escalated to the unit admin
   * (an alert at the unit) and to the issuer (one alert per campaign, naming how many are late).
   */
  async markOverdue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.ds
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .where("a.state IN ('pending', 'accepted') AND a.deadline <= :now", { now })
      .orderBy('a.deadline', 'ASC')
      .limit(BATCH)
      .getMany();
    let n = 0;
    for (const [campaignId, rows] of group(due, (a) => a.campaignId)) {
      const c = await this.ds.getRepository(Campaign).findOneByOrFail({ id: campaignId });
      await this.ds.transaction(async (m) => {
        const moved = await m
          .createQueryBuilder()
          .update(Assignment)
          .set({ state: 'overdue', nextReminderAt: null })
          .where("id IN (:...ids) AND state IN ('pending', 'accepted')", { ids: rows.map((a) => a.id) })
          .execute();
        if (!moved.affected) return;
        const late = await m.find(Assignment, { where: { id: In(rows.map((a) => a.id)), state: 'overdue' } });
        const fresh = await this.record(m, late, 'escalation', 0, ['unit_admin', 'issuer'], {});
        n += fresh.length;
        for (const [unitId, unitRows] of group(fresh, (a) => a.unitId)) {
          await this.alerts.raise(
            {
              kind: DutyAlertKind.CampaignOverdue,
              severity: DutyAlertSeverity.Critical,
              unitId,
              unitPath: unitRows[0]!.unitPath,
              title: { zh: `联动任务已逾期，请单位管理员督办：${c.title}`, en: `Campaign overdue, unit admin to follow up: ${c.title}` },
              message: {
                zh: `联动任务“${c.title}”已过截止时间，本单位 ${unitRows.length} 个平台账号未完成转载，已报发起单位。`,
                en: `"${c.title}" is past its deadline with ${unitRows.length} of the unit's accounts not reposted; the issuer has been told.`,
              },
              link: { type: 'campaign_assignment', id: unitRows[0]!.id },
              dedupeKey: `campaign_overdue:${c.id}:${unitId}`,
            },
            m,
          );
        }
        if (fresh.length) await this.escalateToIssuer(m, c, now);
        await this.audit.record(
          {
            actorId: null,
            actorName: 'system',
            unitId: c.unitId,
            unitPath: c.unitPath,
            action: 'campaign.assignment.overdue',
            targetType: 'campaign',
            targetId: c.id,
            after: { count: late.length, assignments: late.slice(0, 200).map((a) => a.id) },
          },
          m,
        );
      });
    }
    return n;
  }

  private async escalateToIssuer(m: EntityManager, c: Campaign, now: Date): Promise<void> {
    const overdue = await m.count(Assignment, { where: { campaignId: c.id, state: 'overdue' } });
    const issuer = await m.findOneByOrFail(Unit, { id: c.unitId });
    await this.alerts.raise(
      {
        kind: DutyAlertKind.CampaignOverdue,
        severity: DutyAlertSeverity.Warning,
        unitId: issuer.id,
        unitPath: issuer.path,
        title: { zh: `联动任务有逾期未转载：${c.title}`, en: `Campaign has overdue relays: ${c.title}` },
        message: {
          zh: `联动任务“${c.title}”截止时仍有 ${overdue} 个账号未转载，请在看板查看逾期名单。`,
          en: `"${c.title}" reached its deadline with ${overdue} accounts not reposted; see the overdue list on the dashboard.`,
        },
        link: { type: 'campaign', id: c.id },
        dedupeKey: `campaign_overdue_issuer:${c.id}`,
      },
      m,
    );
    if (!c.escalatedAt) await m.update(Campaign, { id: c.id }, { escalatedAt: now });
  }

  /**
   * Records a reminder of `offset` for each row that has none yet (the unique key makes a second
   * sweep record nothing) and counts it on the assignment. Returns the rows newly reminded.
   */
  private async record(
    m: EntityManager,
    rows: Assignment[],
    kind: ReminderKind,
    offset: number,
    recipients: string[],
    extra: { nextReminderAt?: Date | null },
  ): Promise<Assignment[]> {
    if (!rows.length) return [];
    const ids = rows.map((a) => a.id);
    const sent = new Set(
      (
        await m.find(AssignmentReminder, {
          where: { assignmentId: In(ids), kind, offsetMinutes: offset },
          select: { assignmentId: true },
        })
      ).map((r) => r.assignmentId),
    );
    const fresh = rows.filter((a) => !sent.has(a.id));
    const now = this.clock.now();
    await bulkInsert(
      m,
      AssignmentReminder,
      fresh.map((a) => ({
        id: newId(),
        assignmentId: a.id,
        campaignId: a.campaignId,
        kind,
        offsetMinutes: offset,
        recipients,
        sentAt: now,
      })),
    );
    if (fresh.length) {
      await m
        .createQueryBuilder()
        .update(Assignment)
        .set({ reminders: () => 'reminders + 1', ...extra })
        .where('id IN (:...ids)', { ids: fresh.map((a) => a.id) })
        .execute();
    }
    if ('nextReminderAt' in extra && sent.size) {
      await m
        .createQueryBuilder()
        .update(Assignment)
        .set(extra)
        .where('id IN (:...ids)', { ids: [...sent] })
        .execute();
    }
    return fresh;
  }
}

function group<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}
