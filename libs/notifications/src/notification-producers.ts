import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { formatLocalTime } from '@tongfa/core';
import { AlertsService, DutyAlert, DutyAlertKind } from '@tongfa/alerts';
import { Role, RoleAssignment, User, UserStatus } from '@tongfa/identity';
import { Manuscript, ManuscriptHooks, ManuscriptVersion, mayDecide, openSteps, ReviewDecision, ReviewEvent } from '@tongfa/manuscripts';
import { Publication } from '@tongfa/publishing';
import { Account } from '@tongfa/accounts';
import { Assignment, Campaign, CampaignHooks } from '@tongfa/campaigns';
import { JobHandler, JobQueue } from '@tongfa/jobs';
import { NotificationKind } from './entities';
import { NotificationsService } from './notifications.service';
import { grantsOver, stillInScope } from './recipients';

const uniq = (ids: string[]) => [...new Set(ids)];

/**
 * Turns what happens in the lower contexts into notifications: it listens on their ports
 * (manuscript review hooks, alert listeners, campaign hooks), so none of them imports this one.
 * Recipients always come from roles held over the event's unit (grantsOver), never from a list
 * the event carries, so no one outside the unit's scope is told.
 */
@Injectable()
export class NotificationProducers implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly notifications: NotificationsService,
    private readonly alerts: AlertsService,
    private readonly manuscriptHooks: ManuscriptHooks,
    private readonly campaignHooks: CampaignHooks,
    private readonly queue: JobQueue,
  ) {}

  onModuleInit(): void {
    this.manuscriptHooks.onReview((e) => this.reviewed(e));
    this.alerts.onRaised((a, m) => this.alerted(a, m));
    // Thousands of units hear of a province-wide campaign: told from a job, so issuing returns at once.
    this.campaignHooks.onIssued((c) =>
      this.queue.add('notification.campaign-issued', { campaignId: c.id }, { jobId: `campaign-issued:${c.id}` }),
    );
  }

  async reviewed(e: ReviewEvent): Promise<void> {
    const ms = e.manuscript;
    const m = this.ds.manager;
    const base = { unitId: ms.unitId, unitPath: ms.unitPath, link: { type: 'manuscript', id: ms.id } };
    if (e.kind === 'submitted' || e.kind === 'step_approved') {
      const users = await this.reviewersFor(m, ms);
      await this.notifications.notify(
        {
          ...base,
          kind: NotificationKind.ReviewWaiting,
          title: { zh: `待您审核：${ms.title}`, en: `Waiting for your review: ${ms.title}` },
          body: {
            zh: `稿件“${ms.title}”第 ${ms.currentVersionNumber} 版${e.kind === 'submitted' ? '已送审' : '已通过上一环节'}，请审核。`,
            en: `Version ${ms.currentVersionNumber} of "${ms.title}" ${e.kind === 'submitted' ? 'was submitted' : 'passed the previous step'}; please review it.`,
          },
          key: `review_waiting:${ms.currentVersionId}:${(ms.approvedSteps ?? []).join('.')}`,
        },
        users,
      );
      return;
    }
    const author = await stillInScope(m, ms.unitPath, [ms.authorId]);
    const comment = e.comment?.trim();
    if (e.kind === 'approved') {
      await this.notifications.notify(
        {
          ...base,
          kind: NotificationKind.Approved,
          title: { zh: `稿件已审核通过：${ms.title}`, en: `Approved: ${ms.title}` },
          body: {
            zh: `稿件“${ms.title}”第 ${ms.currentVersionNumber} 版已通过全部审核环节，可以发布。`,
            en: `Version ${ms.currentVersionNumber} of "${ms.title}" passed every review step and may be published.`,
          },
          key: `approved:${ms.currentVersionId}`,
        },
        author,
      );
    } else {
      await this.notifications.notify(
        {
          ...base,
          kind: NotificationKind.Returned,
          title: { zh: `稿件被退回：${ms.title}`, en: `Returned: ${ms.title}` },
          body: {
            zh: `稿件“${ms.title}”第 ${ms.currentVersionNumber} 版被退回修改。${comment ? `审核意见：${comment}` : ''}`,
            en: `Version ${ms.currentVersionNumber} of "${ms.title}" was returned for changes.${comment ? ` Comment: ${comment}` : ''}`,
          },
          key: `returned:${ms.currentVersionId}`,
        },
        author,
      );
    }
  }

  /**
   * Reviewers who may decide an open step now: a reviewer grant over the unit whose level fits the
   * step, never the author, anyone who wrote a version of it, or anyone who already decided this version.
   */
  private async reviewersFor(m: EntityManager, ms: Manuscript): Promise<string[]> {
    if (!ms.chain) return [];
    const grants = await grantsOver(m, ms.unitPath, [Role.Reviewer]);
    const levels = new Map<string, number[]>();
    for (const g of grants) if (g.level !== null) levels.set(g.userId, [...(levels.get(g.userId) ?? []), g.level]);
    const excluded = new Set<string>([ms.authorId]);
    for (const v of await m.find(ManuscriptVersion, { where: { manuscriptId: ms.id }, select: { authorId: true } }))
      excluded.add(v.authorId);
    for (const d of await m.find(ReviewDecision, { where: { versionId: ms.currentVersionId }, select: { reviewerId: true } }))
      excluded.add(d.reviewerId);
    const open = openSteps(ms);
    return [...levels].filter(([id, lv]) => !excluded.has(id) && open.some((i) => mayDecide(ms, i, lv))).map(([id]) => id);
  }

  /** Each alert: its specific people (author, unit admins, editors); the duty context tells whoever is on duty. */
  async alerted(a: DutyAlert, m: EntityManager): Promise<void> {
    const base = {
      unitId: a.unitId,
      unitPath: a.unitPath,
      title: { zh: a.titleZh, en: a.titleEn },
      body: { zh: a.messageZh, en: a.messageEn },
      link: { type: a.resourceType, id: a.resourceId },
    };
    const specific = await this.specificFor(a, m);
    // The person on duty is told by the duty context (libs/duty), which listens on alerts too and
    // routes each alert through the unit's schedule and escalation policy.
    if (specific) await this.notifications.notify({ ...base, kind: specific.kind, key: `${specific.kind}:${a.id}` }, specific.users, m);
  }

  /** The people an alert concerns besides those on duty (null: none); the duty context leaves them out of its broadcast. */
  async specificFor(a: DutyAlert, m: EntityManager): Promise<{ kind: NotificationKind; users: string[] } | null> {
    let specific: { kind: NotificationKind; users: string[] } | null = null;
    switch (a.kind) {
      case DutyAlertKind.PublishFailed: {
        const pub = a.resourceType === 'publication' ? await m.findOneBy(Publication, { id: a.resourceId }) : null;
        const ms = pub ? await m.findOne(Manuscript, { where: { id: pub.manuscriptId }, select: { id: true, authorId: true } }) : null;
        specific = { kind: NotificationKind.PublishFailed, users: ms ? await stillInScope(m, a.unitPath, [ms.authorId]) : [] };
        break;
      }
      case DutyAlertKind.AccountNeedsReauth:
        specific = { kind: NotificationKind.NeedsReauth, users: await this.holders(m, a.unitPath, [Role.UnitAdmin]) };
        break;
      case DutyAlertKind.CampaignReminder:
        specific = { kind: NotificationKind.CampaignTask, users: await this.holders(m, a.unitPath, [Role.Editor, Role.DutyOfficer]) };
        break;
      case DutyAlertKind.CampaignOverdue:
        // At an assigned unit: its admin and editors; at the issuer: its supervisors and admins.
        specific = {
          kind: NotificationKind.CampaignTask,
          users: await this.holders(
            m,
            a.unitPath,
            a.resourceType === 'campaign' ? [Role.Supervisor, Role.UnitAdmin] : [Role.UnitAdmin, Role.Editor],
          ),
        };
        break;
      case DutyAlertKind.MonitoringWarning:
      case DutyAlertKind.MonitoringBreach: {
        // Raised at the account's unit (its admin and editors, who post) and, for a breach, at the
        // supervising unit too (its supervisors).
        const account = await m.findOne(Account, { where: { id: a.resourceId }, select: { id: true, unitId: true } });
        const own = account?.unitId === a.unitId;
        specific = {
          kind: NotificationKind.Alert,
          users: await this.holders(m, a.unitPath, own ? [Role.UnitAdmin, Role.Editor] : [Role.Supervisor]),
        };
        break;
      }
      case DutyAlertKind.RectificationOverdue:
        // 整改逾期: the ordered unit's admin and editors, who answer it.
        specific = { kind: NotificationKind.Alert, users: await this.holders(m, a.unitPath, [Role.UnitAdmin, Role.Editor]) };
        break;
      case DutyAlertKind.RectificationEscalated:
        specific = { kind: NotificationKind.Alert, users: await this.holders(m, a.unitPath, [Role.Supervisor, Role.UnitAdmin]) };
        break;
      default:
        break;
    }
    return specific;
  }

  /** Holders of `roles` at the nearest unit over `unitPath` that has any. */
  private async holders(m: EntityManager, unitPath: string, roles: Role[]): Promise<string[]> {
    return uniq((await grantsOver(m, unitPath, roles, { nearest: true })).map((g) => g.userId));
  }

  @JobHandler('notification.campaign-issued')
  async handleCampaignIssued({ campaignId }: { campaignId: string }): Promise<void> {
    const c = await this.ds.getRepository(Campaign).findOneBy({ id: campaignId });
    if (c) await this.campaignIssued(c);
  }

  /**
   * A new campaign: each unit with an assignment to carry hears of it (its active editors; the unit
   * admin or the nearest editors up the tree where the unit has none). Reads in batches, so 2,000
   * units cost a few dozen queries plus the inserts; running twice adds nothing (dedupe keys).
   */
  async campaignIssued(c: Campaign): Promise<void> {
    const m = this.ds.manager;
    const rows = await m
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .select(['a.id AS id', 'a.unitId AS unitId', 'a.unitPath AS unitPath', 'a.platform AS platform'])
      .where("a.campaignId = :c AND a.state = 'pending'", { c: c.id })
      .orderBy('a.unitPath', 'ASC')
      .addOrderBy('a.platform', 'ASC')
      .getRawMany<{ id: string; unitId: string; unitPath: string; platform: string }>();
    const byUnit = new Map<string, typeof rows>();
    for (const r of rows) byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), r]);
    const unitIds = [...byUnit.keys()];
    // Editors granted at the unit itself who are active: they hold a role over the unit, so no
    // further scope check is needed for them.
    const own = new Map<string, string[]>();
    for (let i = 0; i < unitIds.length; i += 500) {
      const grants = await m
        .getRepository(RoleAssignment)
        .createQueryBuilder('g')
        .innerJoin(User, 'u', 'u.id = g.userId AND u.status = :active', { active: UserStatus.Active })
        .select(['g.userId AS userId', 'g.unitId AS unitId'])
        .where({ role: Role.Editor, unitId: In(unitIds.slice(i, i + 500)) })
        .getRawMany<{ userId: string; unitId: string }>();
      for (const g of grants) own.set(g.unitId, [...(own.get(g.unitId) ?? []), g.userId]);
    }
    const deadline = { zh: formatLocalTime(c.deadline, 'zh'), en: formatLocalTime(c.deadline, 'en') };
    for (const [unitId, list] of byUnit) {
      const first = list[0]!;
      const users = own.get(unitId) ?? (await this.holders(m, first.unitPath, [Role.Editor, Role.UnitAdmin]));
      const platforms = list.map((r) => r.platform).join('、');
      await this.notifications.notify(
        {
          kind: NotificationKind.CampaignTask,
          unitId,
          unitPath: first.unitPath,
          title: { zh: `新联动任务：${c.title}`, en: `New campaign task: ${c.title}` },
          body: {
            zh: `请于 ${deadline.zh} 前在本单位 ${list.length} 个平台账号（${platforms}）转载“${c.title}”。`,
            en: `Repost "${c.title}" on ${list.length} of the unit's accounts (${list.map((r) => r.platform).join(', ')}) by ${deadline.en}.`,
          },
          link: { type: 'campaign_assignment', id: first.id },
          key: `campaign_assigned:${c.id}:${unitId}`,
        },
        users,
      );
    }
  }
}
