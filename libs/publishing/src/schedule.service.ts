import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In } from 'typeorm';
import { Clock, CommonError, CommonException, Message } from '@tongfa/core';
import { pathInScope, whereInScope } from '@tongfa/database';
import { Actor, Permission, Role, Unit } from '@tongfa/identity';
import { Account } from '@tongfa/accounts';
import { Manuscript, ManuscriptStatus } from '@tongfa/manuscripts';
import { Publication, PublicationPlan, PublicationStatus, PublicationTarget } from './entities';
import { PublishingError, PublishingException } from './publishing.exception';
import { Dispatcher } from './dispatcher';

/** A scheduled publication this close to its time may already be claimed by a worker: it stays put. */
const START_MARGIN_MS = 5000;
/** The widest window one calendar request may ask for (a month view with its leading and trailing weeks). */
const MAX_RANGE_MS = 62 * 24 * 3600_000;
const MAX_ITEMS = 2000;

export interface PlanView {
  manuscriptId: string;
  plannedAt: Date | null;
  accountIds: string[] | null;
  /** Whether the plan may still be moved, and if not, why (Chinese first). */
  movable: boolean;
  lockedReason: Message | null;
}

export interface CalendarAccount {
  id: string;
  name: string | null;
  platform: string;
  /** The target's state; null for a plan. */
  state: string | null;
}

export interface CalendarItem {
  /** `plan`: a manuscript's planned time (its review may still run); `publication`: scheduled or sent. */
  kind: 'plan' | 'publication';
  /** The manuscript id for a plan, the publication id for a publication. */
  id: string;
  manuscriptId: string;
  title: string;
  unitId: string;
  unitName: string | null;
  at: Date;
  /** The manuscript's status for a plan, the publication's for a publication. */
  status: string;
  accounts: CalendarAccount[];
  movable: boolean;
  lockedReason: Message | null;
}

export interface CalendarQuery {
  from: Date;
  to: Date;
  unitId?: string;
  accountId?: string;
}

const LOCK = {
  reviewed: {
    zh: '审核已完成，计划时间随审核锁定；发布时可另设定时发布时间',
    en: 'the review is complete and locked the planned time; set a time when publishing',
  },
  notEditor: { zh: '只有本单位的编辑可以调整计划时间', en: 'only the unit’s editors may move it' },
  notScheduler: { zh: '只有本单位的编辑或单位管理员可以调整发布时间', en: 'only the unit’s editors or admins may move it' },
  started: { zh: '已开始发布或已发布，不能再调整时间', en: 'publishing has started or ended' },
  imminent: { zh: '即将开始发布，不能再调整时间', en: 'it is about to start' },
} satisfies Record<string, Message>;

/**
 * Time on the calendar: a manuscript's planned time (计划发布时间) while it is written and
 * reviewed, and a scheduled publication's time until it starts. Publishing takes the plan as its
 * scheduledAt (PublicationsService.create) and uses it up.
 */
@Injectable()
export class ScheduleService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly dispatcher: Dispatcher,
  ) {}

  async getPlan(actor: Actor, manuscriptId: string): Promise<PlanView> {
    const ms = await this.ds.getRepository(Manuscript).findOne({ where: { id: manuscriptId } });
    if (!ms || !pathInScope(ms.unitPath, actor.scope(Permission.ManuscriptRead)))
      throw new PublishingException(PublishingError.ManuscriptNotFound);
    const plan = await this.ds.getRepository(PublicationPlan).findOneBy({ manuscriptId });
    const lock = this.planLock(actor, ms);
    return { manuscriptId, plannedAt: plan?.plannedAt ?? null, accountIds: plan?.accountIds ?? null, movable: !lock, lockedReason: lock };
  }

  /** Sets, moves or (plannedAt null) clears a manuscript's planned time: the unit's editors, before the review completes. */
  async setPlan(
    actor: Actor,
    manuscriptId: string,
    input: { plannedAt: Date | null; accountIds?: string[] | null },
  ): Promise<{ before: Date | null; view: PlanView; unitId: string; unitPath: string }> {
    const ms = await this.ds.getRepository(Manuscript).findOne({ where: { id: manuscriptId } });
    if (!ms || !pathInScope(ms.unitPath, actor.scope(Permission.ManuscriptRead)))
      throw new PublishingException(PublishingError.ManuscriptNotFound);
    if (!this.isEditor(actor, ms.unitId)) throw new CommonException(CommonError.Forbidden);
    const lock = this.planLock(actor, ms);
    if (lock) throw new PublishingException(PublishingError.ScheduleLocked, { reason: lock });
    const repo = this.ds.getRepository(PublicationPlan);
    const existing = await repo.findOneBy({ manuscriptId });
    if (input.plannedAt === null) {
      if (existing) await repo.delete({ manuscriptId });
      return {
        before: existing?.plannedAt ?? null,
        view: await this.getPlan(actor, manuscriptId),
        unitId: ms.unitId,
        unitPath: ms.unitPath,
      };
    }
    if (input.plannedAt.getTime() < this.clock.now().getTime() - 60_000) throw new PublishingException(PublishingError.ScheduleInPast);
    const ids = input.accountIds === undefined ? (existing?.accountIds ?? null) : input.accountIds;
    if (ids?.length) {
      const own = await this.ds.getRepository(Account).find({ where: { id: In(ids), unitId: ms.unitId }, select: { id: true } });
      const problems = ids.flatMap((id, i) =>
        own.some((a) => a.id === id)
          ? []
          : [{ field: `accountIds[${i}]`, message: '不是本单位的账号 / not an account of the manuscript’s unit' }],
      );
      if (problems.length) throw new PublishingException(PublishingError.AccountsInvalid, {}, problems);
    }
    await repo.save({
      manuscriptId,
      unitId: ms.unitId,
      unitPath: ms.unitPath,
      plannedAt: input.plannedAt,
      accountIds: ids?.length ? [...new Set(ids)] : null,
      updatedBy: actor.userId,
    });
    return { before: existing?.plannedAt ?? null, view: await this.getPlan(actor, manuscriptId), unitId: ms.unitId, unitPath: ms.unitPath };
  }

  /** The plan of a manuscript about to be published (read by PublicationsService.create). */
  async planOf(manuscriptId: string): Promise<PublicationPlan | null> {
    return this.ds.getRepository(PublicationPlan).findOneBy({ manuscriptId });
  }

  /**
   * Moves a scheduled publication that has not started: every target still `pending` and unclaimed,
   * its time more than a few seconds away (a worker claims a target only once its time has come, so
   * none can be claiming it while it moves). The old delayed jobs find the new time not yet due and
   * do nothing; new ones are enqueued for the new time.
   */
  async reschedule(actor: Actor, publicationId: string, scheduledAt: Date): Promise<{ before: Date | null; pub: Publication }> {
    const pub = await this.ds.getRepository(Publication).findOne({ where: { id: publicationId } });
    if (!pub || !pathInScope(pub.unitPath, actor.scope(Permission.ManuscriptRead))) throw new PublishingException(PublishingError.NotFound);
    if (!this.mayReschedule(actor, pub)) throw new CommonException(CommonError.Forbidden);
    const now = this.clock.now();
    const lock = await this.publicationLock(pub, now);
    if (lock) throw new PublishingException(PublishingError.ScheduleLocked, { reason: lock });
    if (scheduledAt.getTime() < now.getTime()) throw new PublishingException(PublishingError.ScheduleInPast);
    const before = pub.scheduledAt;
    const targets = await this.ds.transaction(async (m) => {
      const started = await m
        .getRepository(PublicationTarget)
        .createQueryBuilder('t')
        .where('t.publicationId = :id', { id: pub.id })
        .andWhere(new Brackets((w) => w.where("t.state <> 'pending'").orWhere('t.claimedBy IS NOT NULL')))
        .getCount();
      if (started) throw new PublishingException(PublishingError.ScheduleLocked, { reason: LOCK.started });
      await m.update(PublicationTarget, { publicationId: pub.id, state: 'pending' }, { nextAttemptAt: scheduledAt });
      await m.update(Publication, { id: pub.id }, { scheduledAt });
      return m.getRepository(PublicationTarget).find({ where: { publicationId: pub.id }, select: { id: true, nextAttemptAt: true } });
    });
    await this.dispatcher.dispatch(targets).catch(() => undefined);
    return { before, pub: (await this.ds.getRepository(Publication).findOneBy({ id: pub.id }))! };
  }

  async calendar(actor: Actor, q: CalendarQuery): Promise<{ items: CalendarItem[]; truncated: boolean }> {
    const scope = actor.scope(Permission.ManuscriptRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    if (q.to.getTime() <= q.from.getTime() || q.to.getTime() - q.from.getTime() > MAX_RANGE_MS) {
      throw new CommonException(CommonError.ValidationFailed, { fields: 'to' }, [
        { field: 'to', message: '结束时间须晚于开始时间，且跨度不超过 62 天 / to must follow from, at most 62 days later' },
      ]);
    }
    let paths = scope;
    if (q.unitId) {
      const unit = await this.ds.getRepository(Unit).findOne({ where: { id: q.unitId }, select: { id: true, path: true } });
      if (!unit || !pathInScope(unit.path, scope)) throw new CommonException(CommonError.Forbidden);
      paths = [unit.path];
    }
    const now = this.clock.now();

    const planQb = this.ds.getRepository(PublicationPlan).createQueryBuilder('pl');
    whereInScope(planQb, 'pl.unitPath', paths);
    planQb
      .andWhere('pl.plannedAt >= :from AND pl.plannedAt < :to', { from: q.from, to: q.to })
      .orderBy('pl.plannedAt', 'ASC')
      .take(MAX_ITEMS);
    let plans = await planQb.getMany();
    if (q.accountId) plans = plans.filter((p) => p.accountIds?.includes(q.accountId!));

    const pubQb = this.ds.getRepository(Publication).createQueryBuilder('p');
    whereInScope(pubQb, 'p.unitPath', paths);
    pubQb.andWhere(
      new Brackets((w) =>
        w
          .where('p.scheduledAt >= :from AND p.scheduledAt < :to')
          .orWhere('p.scheduledAt IS NULL AND p.createdAt >= :from AND p.createdAt < :to'),
      ),
      { from: q.from, to: q.to },
    );
    if (q.accountId)
      pubQb.andWhere('EXISTS (SELECT 1 FROM publication_target ct WHERE ct.publicationId = p.id AND ct.accountId = :acc)', {
        acc: q.accountId,
      });
    const pubs = await pubQb.orderBy('p.createdAt', 'ASC').take(MAX_ITEMS).getMany();

    const targets = pubs.length
      ? await this.ds.getRepository(PublicationTarget).find({
          where: { publicationId: In(pubs.map((p) => p.id)) },
          select: { id: true, publicationId: true, accountId: true, platform: true, state: true, claimedBy: true },
        })
      : [];
    const accountIds = [...new Set([...targets.map((t) => t.accountId), ...plans.flatMap((p) => p.accountIds ?? [])])];
    const accounts = new Map(
      accountIds.length
        ? (
            await this.ds.getRepository(Account).find({ where: { id: In(accountIds) }, select: { id: true, name: true, platform: true } })
          ).map((a) => [a.id, a])
        : [],
    );
    const msIds = [...new Set([...plans.map((p) => p.manuscriptId), ...pubs.map((p) => p.manuscriptId)])];
    const manuscripts = new Map(
      msIds.length
        ? (
            await this.ds
              .getRepository(Manuscript)
              .find({ where: { id: In(msIds) }, select: { id: true, title: true, status: true, unitId: true, unitPath: true } })
          ).map((m) => [m.id, m])
        : [],
    );
    const unitIds = [...new Set([...plans.map((p) => p.unitId), ...pubs.map((p) => p.unitId)])];
    const units = new Map(
      unitIds.length
        ? (await this.ds.getRepository(Unit).find({ where: { id: In(unitIds) }, select: { id: true, name: true } })).map((u) => [
            u.id,
            u.name,
          ])
        : [],
    );

    const items: CalendarItem[] = [];
    for (const p of plans) {
      const ms = manuscripts.get(p.manuscriptId);
      if (!ms) continue;
      const lock = this.planLock(actor, ms);
      items.push({
        kind: 'plan',
        id: p.manuscriptId,
        manuscriptId: p.manuscriptId,
        title: ms.title,
        unitId: p.unitId,
        unitName: units.get(p.unitId) ?? null,
        at: p.plannedAt,
        status: ms.status,
        accounts: (p.accountIds ?? []).map((id) => {
          const a = accounts.get(id);
          return { id, name: a?.name ?? null, platform: a?.platform ?? '', state: null };
        }),
        movable: !lock,
        lockedReason: lock,
      });
    }
    for (const p of pubs) {
      const own = targets.filter((t) => t.publicationId === p.id);
      let lock = this.mayReschedule(actor, p) ? this.lockOf(p, own, now) : LOCK.notScheduler;
      if (!lock && !p.scheduledAt) lock = LOCK.started;
      items.push({
        kind: 'publication',
        id: p.id,
        manuscriptId: p.manuscriptId,
        title: manuscripts.get(p.manuscriptId)?.title ?? '',
        unitId: p.unitId,
        unitName: units.get(p.unitId) ?? null,
        at: p.scheduledAt ?? p.createdAt,
        status: p.status,
        accounts: own.map((t) => ({
          id: t.accountId,
          name: accounts.get(t.accountId)?.name ?? null,
          platform: t.platform,
          state: t.state,
        })),
        movable: !lock,
        lockedReason: lock,
      });
    }
    items.sort((a, b) => a.at.getTime() - b.at.getTime());
    return { items, truncated: plans.length >= MAX_ITEMS || pubs.length >= MAX_ITEMS };
  }

  private isEditor(actor: Actor, unitId: string): boolean {
    return actor.grants.some((g) => g.role === Role.Editor && g.unitId === unitId);
  }

  private mayReschedule(actor: Actor, pub: Pick<Publication, 'unitId' | 'unitPath'>): boolean {
    return actor.grants.some(
      (g) => (g.role === Role.Editor && g.unitId === pub.unitId) || (g.role === Role.UnitAdmin && pub.unitPath.startsWith(g.unitPath)),
    );
  }

  /** A plan moves while the review has not completed, by the unit's editors. */
  private planLock(actor: Actor, ms: Pick<Manuscript, 'status' | 'unitId'>): Message | null {
    if (ms.status === ManuscriptStatus.Approved) return LOCK.reviewed;
    if (!this.isEditor(actor, ms.unitId)) return LOCK.notEditor;
    return null;
  }

  private async publicationLock(pub: Publication, now: Date): Promise<Message | null> {
    const targets = await this.ds
      .getRepository(PublicationTarget)
      .find({ where: { publicationId: pub.id }, select: { id: true, state: true, claimedBy: true } });
    return this.lockOf(pub, targets, now);
  }

  private lockOf(pub: Publication, targets: Pick<PublicationTarget, 'state' | 'claimedBy'>[], now: Date): Message | null {
    const scheduled: PublicationStatus = 'scheduled';
    if (!pub.scheduledAt || pub.status !== scheduled || targets.some((t) => t.state !== 'pending' || t.claimedBy)) return LOCK.started;
    if (pub.scheduledAt.getTime() <= now.getTime() + START_MARGIN_MS) return LOCK.imminent;
    return null;
  }
}
