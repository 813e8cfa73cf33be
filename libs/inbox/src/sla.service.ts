import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThanOrEqual } from 'typeorm';
import { Clock, formatLocalTime } from '@tongfa/core';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { JobHandler } from '@tongfa/jobs';
import { NotificationKind, NotificationsService, stillInScope } from '@tongfa/notifications';
import { InboxThread } from './entities';

const BATCH = 500;
const OPEN = In(['new', 'assigned']);

/**
 * SLA clocks of unanswered threads: a reminder to the assignee at `remindAt` (working time before
 * the first-response deadline) and, past the deadline, an escalation to the duty officers over the
 * unit (a duty alert; the notification producers tell them). Each happens once per deadline:
 * `remindedAt`/`escalatedAt` are set in the same conditional update that claims the thread.
 */
@Injectable()
export class SlaService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly alerts: AlertsService,
    private readonly notifications: NotificationsService,
  ) {}

  @JobHandler('inbox.sla-sweep')
  async handleSlaSweep(): Promise<{ reminded: number; escalated: number }> {
    return { reminded: await this.remind(), escalated: await this.escalate() };
  }

  async remind(): Promise<number> {
    const now = this.clock.now();
    const due = await this.ds.getRepository(InboxThread).find({
      where: { state: OPEN, remindAt: LessThanOrEqual(now), remindedAt: IsNull() },
      order: { remindAt: 'ASC' },
      take: BATCH,
    });
    let n = 0;
    for (const t of due) {
      await this.ds.transaction(async (m) => {
        const claimed = await m.update(InboxThread, { id: t.id, remindedAt: IsNull(), state: OPEN }, { remindedAt: now });
        if (!claimed.affected) return;
        n++;
        const users = t.assigneeId ? await stillInScope(m, t.unitPath, [t.assigneeId]) : [];
        if (!users.length || !t.firstResponseDueAt) return;
        const due = formatLocalTime(t.firstResponseDueAt);
        const dueEn = formatLocalTime(t.firstResponseDueAt, 'en');
        await this.notifications.notify(
          {
            kind: NotificationKind.InboxTask,
            unitId: t.unitId,
            unitPath: t.unitPath,
            title: { zh: `群众留言即将超时未回复：${t.citizenName}`, en: `A citizen's ${t.kind} is nearly overdue: ${t.citizenName}` },
            body: {
              zh: `“${t.preview}”须在 ${due} 前首次答复。`,
              en: `"${t.preview}" needs a first answer by ${dueEn}.`,
            },
            link: { type: 'inbox_thread', id: t.id },
            key: `inbox_remind:${t.id}:${t.firstResponseDueAt.getTime()}`,
          },
          users,
          m,
        );
      });
    }
    return n;
  }

  async escalate(): Promise<number> {
    const now = this.clock.now();
    const due = await this.ds.getRepository(InboxThread).find({
      where: { state: OPEN, firstResponseDueAt: LessThanOrEqual(now), escalatedAt: IsNull() },
      order: { firstResponseDueAt: 'ASC' },
      take: BATCH,
    });
    let n = 0;
    for (const t of due) {
      await this.ds.transaction(async (m) => {
        const claimed = await m.update(InboxThread, { id: t.id, escalatedAt: IsNull(), state: OPEN }, { escalatedAt: now });
        if (!claimed.affected) return;
        n++;
        await this.alerts.raise(
          {
            kind: DutyAlertKind.InboxOverdue,
            severity: DutyAlertSeverity.Warning,
            unitId: t.unitId,
            unitPath: t.unitPath,
            title: { zh: `群众留言超时未回复：${t.citizenName}`, en: `Citizen's ${t.kind} unanswered past its deadline: ${t.citizenName}` },
            message: {
              zh: `${t.platform} 账号的${t.kind === 'message' ? '私信' : '评论'}“${t.preview}”已超过首次响应时限（${formatLocalTime(t.firstResponseDueAt!)}），请督办。`,
              en: `"${t.preview}" on ${t.platform} passed its first-response deadline (${formatLocalTime(t.firstResponseDueAt!, 'en')}); please follow up.`,
            },
            link: { type: 'inbox_thread', id: t.id },
            dedupeKey: `inbox_overdue:${t.id}:${t.firstResponseDueAt!.getTime()}`,
          },
          m,
        );
      });
    }
    return n;
  }
}
