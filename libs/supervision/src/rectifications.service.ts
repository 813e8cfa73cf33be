import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, LessThanOrEqual } from 'typeorm';
import { Clock, formatLocalTime, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, pathInScope, whereInScope } from '@tongfa/database';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { Actor, Permission, Unit } from '@tongfa/identity';
import { JobHandler } from '@tongfa/jobs';
import { Media } from '@tongfa/media';
import { localDaysBetween } from '@tongfa/monitoring';
import { checklistFor } from './checklist';
import { Rectification, RectificationState, SpotCheckRound, SpotCheckSample } from './entities';
import { SupervisionError, SupervisionException } from './supervision.exception';
import { RectificationView } from './views';

export interface RectificationListQuery extends PageQuery {
  state?: RectificationState;
  /** Only orders open past their deadline. */
  overdue?: boolean;
  roundId?: string;
}

export type ReviewDecision = 'close' | 'reopen' | 'escalate';

const DAY = 86_400_000;
const BATCH = 200;
const STATE_NAMES: Record<RectificationState, string> = { open: '待整改', answered: '已回复', closed: '已销号', escalated: '已上报' };
const DECISION_NAMES: Record<ReviewDecision, string> = { close: '销号', reopen: '退回重改', escalate: '上报' };
const parentPath = (path: string) => path.replace(/[^/]+\/$/, '');
const lastId = (path: string) => path.split('/').filter(Boolean).pop() ?? null;

/**
 * 整改: the orders a failed finding opens. The unit answers with what it did and its evidence; the
 * supervisor re-checks and closes, reopens or escalates. An order still open past its deadline is
 * overdue (named in lists and the 通报) and the sweep tells the unit's on-call once per deadline.
 */
@Injectable()
export class RectificationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly alerts: AlertsService,
  ) {}

  async list(actor: Actor, q: RectificationListQuery): Promise<Page<RectificationView>> {
    const scope = actor.scope(Permission.RectificationRead);
    if (!scope.length) throw new SupervisionException(SupervisionError.NotPermitted);
    const now = this.clock.now();
    const qb = this.ds.getRepository(Rectification).createQueryBuilder('r');
    whereInScope(qb, 'r.unitPath', scope);
    if (q.state) qb.andWhere('r.state = :state', { state: q.state });
    if (q.overdue) qb.andWhere("r.state = 'open' AND r.deadline < :now", { now });
    if (q.roundId) qb.andWhere('r.roundId = :round', { round: q.roundId });
    qb.orderBy('r.deadline', 'ASC').addOrderBy('r.id', 'ASC');
    const { skip, take } = pageOffset(q);
    const [rows, total] = await fetchPage(qb, skip, take);
    return { items: await this.views(rows), total };
  }

  async get(actor: Actor, id: string): Promise<RectificationView> {
    return (await this.views([await this.find(actor, id)]))[0]!;
  }

  private async find(actor: Actor, id: string, m: EntityManager = this.ds.manager): Promise<Rectification> {
    const r = await m.findOne(Rectification, { where: { id } });
    if (!r || !pathInScope(r.unitPath, actor.scope(Permission.RectificationRead))) {
      throw new SupervisionException(SupervisionError.RectificationNotFound);
    }
    return r;
  }

  /** The unit's answer: what was done, with links and uploaded media as evidence. */
  async respond(
    actor: Actor,
    id: string,
    input: { text: string; urls?: string[]; mediaIds?: string[] },
  ): Promise<{ before: RectificationState; order: RectificationView }> {
    const order = await this.find(actor, id);
    if (!actor.canAt(Permission.RectificationRespond, order.unitPath)) throw new SupervisionException(SupervisionError.NotYourOrder);
    const urls = [...new Set(input.urls ?? [])];
    for (const u of urls) {
      if (!/^https?:\/\/[^\s]+$/i.test(u)) {
        throw new SupervisionException(SupervisionError.EvidenceInvalid, { reason: u }, [
          { field: 'urls', message: `整改佐证链接须为 http(s) 地址：${u}` },
        ]);
      }
    }
    const mediaIds = [...new Set(input.mediaIds ?? [])];
    if (mediaIds.length) {
      const found = await this.ds.getRepository(Media).find({ where: { id: In(mediaIds) }, select: { id: true, unitPath: true } });
      const ok = new Set(found.filter((f) => pathInScope(f.unitPath, actor.scope(Permission.RectificationRespond))).map((f) => f.id));
      const missing = mediaIds.filter((x) => !ok.has(x));
      if (missing.length) {
        throw new SupervisionException(SupervisionError.EvidenceInvalid, { reason: missing.join(', ') }, [
          { field: 'mediaIds', message: `整改佐证素材不存在或不属于本单位：${missing.join(', ')}` },
        ]);
      }
    }
    const now = this.clock.now();
    // Conditional on the state still being open: two people answering at once leave one answer.
    const res = await this.ds
      .getRepository(Rectification)
      .createQueryBuilder()
      .update(Rectification)
      .set({
        state: 'answered',
        responseText: input.text.trim(),
        responseEvidence: { urls, mediaIds },
        respondedAt: now,
        respondedBy: actor.userId,
        answeredLate: now.getTime() > order.deadline.getTime(),
      })
      .where("id = :id AND state = 'open'", { id })
      .execute();
    if (!res.affected) {
      const state = (await this.find(actor, id)).state;
      throw new SupervisionException(SupervisionError.NotAnswerable, { state: { zh: STATE_NAMES[state], en: state } });
    }
    return { before: 'open', order: await this.get(actor, id) };
  }

  /** The supervisor's re-check: close (销号), reopen with a new deadline, or escalate to the unit above. */
  async review(
    actor: Actor,
    id: string,
    input: { decision: ReviewDecision; note?: string; deadline?: Date },
  ): Promise<{ before: RectificationState; order: RectificationView }> {
    const order = await this.find(actor, id);
    const round = await this.ds.getRepository(SpotCheckRound).findOneOrFail({ where: { id: order.roundId } });
    if (!pathInScope(round.unitPath, actor.scope(Permission.SpotCheckManage)))
      throw new SupervisionException(SupervisionError.NotSupervisor);
    const allowed: Record<ReviewDecision, RectificationState[]> = {
      close: ['open', 'answered', 'escalated'],
      reopen: ['answered', 'closed', 'escalated'],
      escalate: ['open', 'answered'],
    };
    const before = order.state;
    if (!allowed[input.decision].includes(before)) {
      throw new SupervisionException(SupervisionError.NotReviewable, {
        state: { zh: STATE_NAMES[before], en: before },
        decision: { zh: DECISION_NAMES[input.decision], en: input.decision },
      });
    }
    const now = this.clock.now();
    const note = input.note?.trim().slice(0, 1000) || null;
    const patch: Partial<Rectification> = { reviewedAt: now, reviewedBy: actor.userId, reviewNote: note };
    if (input.decision === 'close') patch.state = 'closed';
    if (input.decision === 'escalate') patch.state = 'escalated';
    if (input.decision === 'reopen') {
      const province = await this.ds.getRepository(Unit).findOneOrFail({
        where: { id: round.unitPath.split('/').filter(Boolean)[0]! },
        select: { id: true, regionCode: true },
      });
      const days = checklistFor(province.regionCode).find((c) => c.id === order.item)?.deadlineDays ?? 15;
      const deadline = input.deadline ?? new Date(now.getTime() + days * DAY);
      const ahead = deadline.getTime() - now.getTime();
      if (!(ahead >= DAY - 60_000 && ahead <= 90 * DAY)) {
        throw new SupervisionException(SupervisionError.DeadlineInvalid, {}, [
          { field: 'deadline', message: '整改期限须在 1 至 90 天之内' },
        ]);
      }
      Object.assign(patch, { state: 'open', deadline, reopened: order.reopened + 1, overdueAlertedAt: null });
    }
    await this.ds.transaction(async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(Rectification)
        .set(patch)
        .where('id = :id AND state = :before', { id, before })
        .execute();
      if (!res.affected) throw new SupervisionException(SupervisionError.NotReviewable, { state: before, decision: input.decision });
      if (input.decision === 'escalate') await this.raiseEscalated(m, order, note);
    });
    return { before, order: await this.get(actor, id) };
  }

  private async raiseEscalated(m: EntityManager, r: Rectification, note: string | null): Promise<void> {
    const above = parentPath(r.unitPath);
    const unitId = lastId(above);
    const target = unitId ? { unitId, unitPath: above } : { unitId: r.unitId, unitPath: r.unitPath };
    await this.alerts.raise(
      {
        kind: DutyAlertKind.RectificationEscalated,
        severity: DutyAlertSeverity.Critical,
        ...target,
        title: { zh: `整改上报：${r.problem.slice(0, 60)}`, en: `Rectification escalated: ${r.problem.slice(0, 60)}` },
        message: {
          zh: `主管单位复查后将整改事项上报：${r.problem}${note ? `（${note}）` : ''}`,
          en: `After re-checking, the supervisor escalated: ${r.problem}${note ? ` (${note})` : ''}`,
        },
        link: { type: 'rectification', id: r.id },
        dedupeKey: `rectification:escalated:${r.id}:${r.reopened}`,
      },
      m,
    );
  }

  @JobHandler('supervision.rectification-sweep')
  async handleSweep(): Promise<void> {
    await this.sweepOverdue();
  }

  /**
   * Tells the unit (its on-call, through the duty context's routing of alerts) of each order that is
   * still open past its deadline, once per deadline: the mark is set conditionally in the same
   * transaction as the alert, and the alert's dedupe key names the deadline, so a second sweep or a
   * second worker raises nothing twice. Returns how many it told.
   */
  async sweepOverdue(): Promise<number> {
    const now = this.clock.now();
    let told = 0;
    for (;;) {
      const due = await this.ds.getRepository(Rectification).find({
        where: { state: 'open', deadline: LessThanOrEqual(now), overdueAlertedAt: IsNull() },
        order: { deadline: 'ASC', id: 'ASC' },
        take: BATCH,
      });
      if (!due.length) return told;
      const names = await this.accountNames(due.map((r) => r.accountId));
      for (const r of due) {
        await this.ds.transaction(async (m) => {
          const res = await m
            .createQueryBuilder()
            .update(Rectification)
            .set({ overdueAlertedAt: now })
            .where("id = :id AND state = 'open' AND overdueAlertedAt IS NULL", { id: r.id })
            .execute();
          if (!res.affected) return;
          const name = names.get(r.accountId) ?? r.accountId;
          await this.alerts.raise(
            {
              kind: DutyAlertKind.RectificationOverdue,
              severity: DutyAlertSeverity.Warning,
              unitId: r.unitId,
              unitPath: r.unitPath,
              title: { zh: `整改逾期：${name}`, en: `Rectification overdue: ${name}` },
              message: {
                zh: `整改通知“${r.problem}”已于 ${formatLocalTime(r.deadline, 'zh')} 到期，尚未回复整改情况。`,
                en: `The rectification order "${r.problem}" was due ${formatLocalTime(r.deadline, 'en')} and has not been answered.`,
              },
              link: { type: 'rectification', id: r.id },
              dedupeKey: `rectification:overdue:${r.id}:${r.deadline.getTime()}`,
            },
            m,
          );
          told++;
        });
      }
    }
  }

  private async accountNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.ds
      .getRepository(SpotCheckSample)
      .createQueryBuilder('s')
      .select(['s.accountId AS accountId', 's.accountName AS accountName'])
      .where('s.accountId IN (:...ids)', { ids: [...new Set(ids)] })
      .getRawMany<{ accountId: string; accountName: string }>();
    return new Map(rows.map((r) => [r.accountId, r.accountName]));
  }

  async views(rows: Rectification[]): Promise<RectificationView[]> {
    if (!rows.length) return [];
    const now = this.clock.now();
    const [samples, rounds] = await Promise.all([
      this.ds.getRepository(SpotCheckSample).find({
        where: rows.map((r) => ({ roundId: r.roundId, accountId: r.accountId })),
        select: { roundId: true, accountId: true, accountName: true, platform: true, unitName: true },
      }),
      this.ds
        .getRepository(SpotCheckRound)
        .find({ where: { id: In([...new Set(rows.map((r) => r.roundId))]) }, select: { id: true, period: true } }),
    ]);
    const sampleOf = new Map(samples.map((s) => [`${s.roundId}\u0000${s.accountId}`, s]));
    const periodOf = new Map(rounds.map((r) => [r.id, r.period]));
    return rows.map((r) =>
      rectificationView(r, now, sampleOf.get(`${r.roundId}\u0000${r.accountId}`) ?? null, periodOf.get(r.roundId) ?? null),
    );
  }
}

export function rectificationView(
  r: Rectification,
  now: Date,
  sample: Pick<SpotCheckSample, 'accountName' | 'platform' | 'unitName'> | null,
  period: string | null,
): RectificationView {
  const overdue = r.state === 'open' && now.getTime() > r.deadline.getTime();
  const lateBy = overdue
    ? localDaysBetween(r.deadline, now)
    : r.answeredLate && r.respondedAt
      ? localDaysBetween(r.deadline, r.respondedAt)
      : 0;
  return {
    id: r.id,
    roundId: r.roundId,
    period,
    findingId: r.findingId,
    accountId: r.accountId,
    accountName: sample?.accountName ?? null,
    platform: sample?.platform ?? null,
    unitId: r.unitId,
    unitName: sample?.unitName ?? null,
    item: r.item,
    problem: r.problem,
    state: r.state,
    deadline: r.deadline,
    overdue,
    daysLate: Math.max(lateBy, overdue || r.answeredLate ? 1 : 0),
    answeredLate: r.answeredLate,
    response:
      r.respondedAt && r.responseText !== null
        ? {
            text: r.responseText,
            urls: r.responseEvidence?.urls ?? [],
            mediaIds: r.responseEvidence?.mediaIds ?? [],
            respondedAt: r.respondedAt,
            respondedBy: r.respondedBy,
          }
        : null,
    reviewedAt: r.reviewedAt,
    reviewedBy: r.reviewedBy,
    reviewNote: r.reviewNote,
    reopened: r.reopened,
    createdAt: r.createdAt,
  };
}
