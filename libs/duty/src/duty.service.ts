import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThan, MoreThan } from 'typeorm';
import { Clock, Message, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, whereInScope } from '@tongfa/database';
import { Actor, Permission, POLICY, Role, Unit, User } from '@tongfa/identity';
import { DutyAlert } from '@tongfa/alerts';
import { grantsOver, pathsCovering } from '@tongfa/notifications';
import { DEFAULT_POLICY, DutyNotice, DutyOverride, DutySchedule, EscalationPolicy } from './entities';
import { DutyLayer, dutySegments, isHandoff, isLocalDate, OnCallSource, resolveOnCall } from './schedule';
import { DutyError, DutyException } from './duty.exception';

const MAX_LOG_DAYS = 92;
const MAX_OVERRIDE_DAYS = 92;
const DAY_MS = 86_400_000;

export interface ScheduleInput {
  layers: DutyLayer[];
  policy?: EscalationPolicy;
}

export interface OverrideInput {
  userId: string;
  startsAt: Date;
  endsAt: Date;
  note?: string;
}

export interface ScheduleView {
  unitId: string;
  layers: DutyLayer[];
  policy: EscalationPolicy;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export interface OverrideView {
  id: string;
  unitId: string;
  userId: string;
  startsAt: Date;
  endsAt: Date;
  note: string;
  createdBy: string;
  createdAt: Date;
}

export interface PersonView {
  id: string;
  displayName: string;
}

export interface CandidateView extends PersonView {
  /** The role that makes them eligible, held at `unitId` (the unit itself or one above it). */
  role: Role;
  unitId: string | null;
  unitName: string;
}

export interface UnitDutyView {
  unit: { id: string; name: string; level: string; depth: number };
  onCall: OnCallView;
}

export interface OnCallView {
  unitId: string;
  /** The unit whose schedule answered (the unit itself, or the nearest above it with a schedule). */
  scheduleUnitId: string | null;
  at: Date;
  user: PersonView | null;
  source: OnCallSource | { kind: 'unscheduled' };
  /** On a gap (or with no schedule at all): the duty officers who are told instead. */
  fallback: PersonView[];
}

/** Someone named in a schedule: the request path of the field and its name as a person reads it. */
interface Person {
  id: string;
  path: string;
  label: Message;
}

const invalidLayer = (i: number, key: string, what: Message) =>
  new DutyException(DutyError.InvalidLayer, { field: { zh: `第 ${i + 1} 层${what.zh}`, en: `layer ${i + 1}, ${what.en}` } }, [
    {
      field: `layers.${i}.${key}`,
      code: 'invalid',
      message: `第 ${i + 1} 层${what.zh}无效 / layer ${i + 1}: invalid ${what.en}`,
    },
  ]);

/** Resolved recipients of one escalation step. */
export interface Routed {
  userIds: string[];
  reason: DutyNotice['reason'];
}

const overrideView = (o: DutyOverride): OverrideView => ({
  id: o.id,
  unitId: o.unitId,
  userId: o.userId,
  startsAt: o.startsAt,
  endsAt: o.endsAt,
  note: o.note,
  createdBy: o.createdBy,
  createdAt: o.createdAt,
});

/** Roles whose holders may read and acknowledge the unit's alerts: only they can be put on duty. */
const ON_DUTY_ROLES = POLICY[Permission.AlertAck] as readonly Role[];

/**
 * 值班值守: each unit's schedule (layers, overrides, escalation policy), who is on call at an
 * instant, and the duty log. Edits need a unit admin at the unit or above; reads are scoped to
 * the caller's subtree like every other record.
 */
@Injectable()
export class DutyService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The unit, if the caller may read its duty (else not found: a unit outside the scope is not revealed). */
  async unitFor(actor: Actor, unitId: string, manage = false): Promise<Unit> {
    const unit = await this.ds.getRepository(Unit).findOneBy({ id: unitId });
    if (!unit || !(actor.canAt(Permission.DutyRead, unit.path) || actor.canAt(Permission.DutyManage, unit.path)))
      throw new DutyException(DutyError.UnitNotFound);
    if (manage && !actor.canAt(Permission.DutyManage, unit.path)) throw new DutyException(DutyError.NotPermitted);
    return unit;
  }

  async getSchedule(actor: Actor, unitId: string): Promise<ScheduleView> {
    await this.unitFor(actor, unitId);
    const s = await this.ds.getRepository(DutySchedule).findOneBy({ unitId });
    return s
      ? { unitId, layers: s.layers, policy: s.policy, updatedAt: s.updatedAt, updatedBy: s.updatedBy }
      : { unitId, layers: [], policy: DEFAULT_POLICY, updatedAt: null, updatedBy: null };
  }

  /** Replaces the unit's layers and policy; returns the schedule before (for the audit) and after. */
  async putSchedule(
    actor: Actor,
    unitId: string,
    input: ScheduleInput,
  ): Promise<{ before: ScheduleView; after: ScheduleView; unit: Unit }> {
    const unit = await this.unitFor(actor, unitId, true);
    const before = await this.getSchedule(actor, unitId);
    const policy = input.policy ?? DEFAULT_POLICY;
    input.layers.forEach((l, i) => {
      if (!isHandoff(l.handoff)) throw invalidLayer(i, 'handoff', { zh: '交接时间', en: 'handoff' });
      if (!isLocalDate(l.startDate)) throw invalidLayer(i, 'startDate', { zh: '首班日期', en: 'first shift date' });
    });
    const people: Person[] = [
      ...input.layers.flatMap((l, i) =>
        l.userIds.map((id, j) => ({
          id,
          path: `layers.${i}.userIds.${j}`,
          label: { zh: `第 ${i + 1} 层值班人第 ${j + 1} 位`, en: `layer ${i + 1}, person ${j + 1}` },
        })),
      ),
      ...policy.steps.flatMap((s, i) =>
        s.notify.kind === 'user'
          ? [
              {
                id: s.notify.userId,
                path: `policy.steps.${i}.notify.userId`,
                label: { zh: `升级第 ${i + 1} 步通知人员`, en: `escalation step ${i + 1}, person to notify` },
              },
            ]
          : [],
      ),
    ];
    await this.assertEligible(this.ds.manager, unit.path, people);
    const now = this.clock.now();
    await this.ds
      .getRepository(DutySchedule)
      .save({ unitId, unitPath: unit.path, layers: input.layers, policy, updatedAt: now, updatedBy: actor.userId });
    return { before, after: await this.getSchedule(actor, unitId), unit };
  }

  /**
   * Everyone the caller may put on duty at the unit, exactly as putSchedule and createOverride
   * check it: active holders of a duty-officer or supervisor role at the unit or above. Only for
   * those who may edit the unit's duty (a unit admin at or above it), so the list reveals no one
   * to a reader; each person with the unit of their nearest such role, nearest first.
   */
  async candidates(actor: Actor, unitId: string): Promise<CandidateView[]> {
    const unit = await this.unitFor(actor, unitId, true);
    const m = this.ds.manager;
    const grants = (await grantsOver(m, unit.path, ON_DUTY_ROLES)).sort((a, b) => b.unitPath.length - a.unitPath.length);
    const nearest = new Map<string, (typeof grants)[number]>();
    for (const g of grants) if (!nearest.has(g.userId)) nearest.set(g.userId, g);
    const people = await this.people(m, [...nearest.keys()]);
    const units = await m.getRepository(Unit).find({
      where: { path: In([...new Set(grants.map((g) => g.unitPath))]) },
      select: { id: true, name: true, path: true },
    });
    const unitOf = new Map(units.map((u) => [u.path, u]));
    return people
      .map((p) => {
        const g = nearest.get(p.id)!;
        return {
          ...p,
          role: g.role,
          unitId: unitOf.get(g.unitPath)?.id ?? null,
          unitName: unitOf.get(g.unitPath)?.name ?? '',
          depth: g.unitPath.length,
        };
      })
      .sort((a, b) => b.depth - a.depth || a.displayName.localeCompare(b.displayName, 'zh-CN'))
      .map(({ depth: _depth, ...c }) => c);
  }

  async listOverrides(actor: Actor, unitId: string, from?: Date, to?: Date): Promise<OverrideView[]> {
    await this.unitFor(actor, unitId);
    const where = { unitId, ...(from ? { endsAt: MoreThan(from) } : {}), ...(to ? { startsAt: LessThan(to) } : {}) };
    const rows = await this.ds.getRepository(DutyOverride).find({ where, order: { startsAt: 'ASC', id: 'ASC' }, take: 500 });
    return rows.map(overrideView);
  }

  async createOverride(actor: Actor, unitId: string, input: OverrideInput): Promise<{ override: OverrideView; unit: Unit }> {
    const unit = await this.unitFor(actor, unitId, true);
    const span = input.endsAt.getTime() - input.startsAt.getTime();
    if (!(span > 0) || span > MAX_OVERRIDE_DAYS * DAY_MS)
      throw new DutyException(DutyError.InvalidRange, { field: { zh: '替班时间', en: 'override time' }, days: MAX_OVERRIDE_DAYS });
    await this.assertEligible(this.ds.manager, unit.path, [
      { id: input.userId, path: 'userId', label: { zh: '替班人员', en: 'person taking over' } },
    ]);
    const row = this.ds.getRepository(DutyOverride).create({
      id: newId(),
      unitId,
      unitPath: unit.path,
      userId: input.userId,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      note: input.note ?? '',
      createdBy: actor.userId,
      createdAt: this.clock.now(),
    });
    await this.ds.getRepository(DutyOverride).insert(row);
    return { override: overrideView(row), unit };
  }

  async deleteOverride(actor: Actor, id: string): Promise<OverrideView> {
    const repo = this.ds.getRepository(DutyOverride);
    const found = await repo.findOneBy({ id });
    if (!found || !(actor.canAt(Permission.DutyRead, found.unitPath) || actor.canAt(Permission.DutyManage, found.unitPath)))
      throw new DutyException(DutyError.OverrideNotFound);
    if (!actor.canAt(Permission.DutyManage, found.unitPath)) throw new DutyException(DutyError.NotPermitted);
    await repo.delete({ id });
    return overrideView(found);
  }

  async onCall(actor: Actor, unitId: string, at: Date): Promise<OnCallView> {
    const unit = await this.unitFor(actor, unitId);
    const m = this.ds.manager;
    const schedule = await this.scheduleOver(m, unit.path);
    const view: OnCallView = {
      unitId,
      scheduleUnitId: schedule?.unitId ?? null,
      at,
      user: null,
      source: { kind: 'unscheduled' },
      fallback: [],
    };
    if (!schedule) {
      view.fallback = await this.people(m, await this.dutyOfficers(m, unit.path, false));
      return view;
    }
    const r = await this.resolveAt(m, schedule, unit.path, at);
    view.source = r.source;
    if (r.userId) view.user = (await this.people(m, [r.userId]))[0] ?? null;
    else view.fallback = await this.people(m, await this.dutyOfficers(m, schedule.unitPath, true));
    return view;
  }

  /**
   * 值班值守 overview: the units whose duty the caller may read, a page at a time in tree order
   * (a parent before its children), each with who is on call at `at`. `depth` counts from the
   * caller's own top unit, for indenting.
   */
  async units(actor: Actor, q: PageQuery, at: Date): Promise<Page<UnitDutyView>> {
    const scope = [...new Set([...actor.scope(Permission.DutyRead), ...actor.scope(Permission.DutyManage)])];
    const qb = this.ds.getRepository(Unit).createQueryBuilder('u').select(['u.id', 'u.name', 'u.level', 'u.path']);
    whereInScope(qb, 'u.path', scope);
    qb.orderBy('u.path', 'ASC').addOrderBy('u.id', 'ASC');
    const { skip, take } = pageOffset(q);
    const [rows, total] = await fetchPage(qb, skip, take);
    const segments = (path: string) => path.split('/').filter(Boolean).length;
    const top = Math.min(...scope.map(segments));
    const items: UnitDutyView[] = [];
    // One page is at most a few dozen units: resolved one by one, the same way as a single unit.
    for (const u of rows)
      items.push({
        unit: { id: u.id, name: u.name, level: u.level, depth: segments(u.path) - top },
        onCall: await this.onCall(actor, u.id, at),
      });
    return { items, total };
  }

  /** The schedule of the unit at `unitPath`, or of the nearest unit above it that has one. */
  async scheduleOver(m: EntityManager, unitPath: string, opts: { strictlyAbove?: boolean } = {}): Promise<DutySchedule | null> {
    let paths = pathsCovering(unitPath);
    if (opts.strictlyAbove) paths = paths.filter((p) => p !== unitPath);
    if (!paths.length) return null;
    const rows = await m.getRepository(DutySchedule).find({ where: { unitPath: In(paths) } });
    return rows.sort((a, b) => b.unitPath.length - a.unitPath.length)[0] ?? null;
  }

  /**
   * The one person on duty under `schedule` at `at`, checked against who may act on an alert at
   * `alertPath`: someone who lost their duty role since the schedule was made counts as a gap.
   */
  async resolveAt(
    m: EntityManager,
    schedule: DutySchedule,
    alertPath: string,
    at: Date,
  ): Promise<{ userId: string | null; source: OnCallSource }> {
    const overrides = await m.getRepository(DutyOverride).find({
      where: { unitId: schedule.unitId, startsAt: LessThan(new Date(at.getTime() + 1)), endsAt: MoreThan(at) },
    });
    const r = resolveOnCall(schedule.layers, overrides, at);
    if (r.userId && !(await this.eligibleOver(m, alertPath)).has(r.userId)) return { userId: null, source: { kind: 'gap' } };
    return r;
  }

  /** Active duty officers over a unit: the nearest holding the role (a gap), or all of them (no schedule anywhere, as before schedules existed). */
  async dutyOfficers(m: EntityManager, unitPath: string, nearest: boolean): Promise<string[]> {
    return [...new Set((await grantsOver(m, unitPath, [Role.DutyOfficer], { nearest })).map((g) => g.userId))];
  }

  /** Active users who may read and acknowledge alerts at `unitPath`. */
  async eligibleOver(m: EntityManager, unitPath: string): Promise<Set<string>> {
    return new Set((await grantsOver(m, unitPath, ON_DUTY_ROLES)).map((g) => g.userId));
  }

  /** Refuses anyone who could not see or acknowledge the unit's alerts: another unit's staff, a lower unit's, the inactive. */
  private async assertEligible(m: EntityManager, unitPath: string, people: Person[]): Promise<void> {
    if (!people.length) return;
    const ok = await this.eligibleOver(m, unitPath);
    const bad = people.find((p) => !ok.has(p.id));
    if (bad)
      throw new DutyException(DutyError.UserNotEligible, { field: bad.label }, [
        {
          field: bad.path,
          code: 'notEligible',
          message: `${bad.label.zh}不能值班：须为在岗用户，且在本单位或上级单位持有值班或主管角色 / ${bad.label.en} cannot be on duty: must be an active user holding a duty-officer or supervisor role over the unit`,
        },
      ]);
  }

  async people(m: EntityManager, ids: string[]): Promise<PersonView[]> {
    if (!ids.length) return [];
    const rows = await m.getRepository(User).find({ where: { id: In(ids) }, select: { id: true, displayName: true } });
    const byId = new Map(rows.map((u) => [u.id, u.displayName]));
    return ids.filter((id) => byId.has(id)).map((id) => ({ id, displayName: byId.get(id)! }));
  }

  /**
   * 值班日志 of a unit over [from, to): the shifts of its schedule as it stands (an edited schedule
   * shows its new shifts; what was actually told is in `alerts`, recorded when it happened), and
   * each alert its on-call people were told of, with who acknowledged and resolved it.
   */
  async log(actor: Actor, unitId: string, from: Date, to: Date): Promise<DutyLog> {
    const unit = await this.unitFor(actor, unitId);
    const span = to.getTime() - from.getTime();
    if (!(span > 0) || span > MAX_LOG_DAYS * DAY_MS)
      throw new DutyException(DutyError.InvalidRange, { field: { zh: '日志时间', en: 'log range' }, days: MAX_LOG_DAYS });
    const m = this.ds.manager;
    const schedule = await m.getRepository(DutySchedule).findOneBy({ unitId });
    const overrides = await m.getRepository(DutyOverride).find({ where: { unitId, endsAt: MoreThan(from), startsAt: LessThan(to) } });
    const segments = schedule ? dutySegments(schedule.layers, overrides, from, to) : [];
    const notices = await m
      .getRepository(DutyNotice)
      .createQueryBuilder('n')
      .where('n.unitId = :unitId AND n.notifiedAt >= :from AND n.notifiedAt < :to', { unitId, from, to })
      .orderBy('n.notifiedAt', 'ASC')
      .addOrderBy('n.id', 'ASC')
      .take(5000)
      .getMany();
    const alertIds = [...new Set(notices.map((n) => n.alertId))];
    const alerts = alertIds.length ? await m.getRepository(DutyAlert).find({ where: { id: In(alertIds) } }) : [];
    const ids = new Set<string>([...segments.flatMap((s) => (s.userId ? [s.userId] : [])), ...notices.map((n) => n.userId)]);
    for (const a of alerts) for (const u of [a.acknowledgedBy, a.resolvedBy]) if (u) ids.add(u);
    const names = new Map((await this.people(m, [...ids])).map((p) => [p.id, p.displayName]));
    const name = (id: string | null) => (id ? (names.get(id) ?? id) : null);
    const byAlert = new Map(alerts.map((a) => [a.id, a]));
    return {
      unitId,
      unitName: unit.name,
      from,
      to,
      shifts: segments.map((s) => ({ from: s.from, to: s.to, userId: s.userId, displayName: name(s.userId), source: s.source })),
      alerts: alertIds.flatMap((id) => {
        const a = byAlert.get(id);
        if (!a) return [];
        return [
          {
            alertId: a.id,
            kind: a.kind,
            severity: a.severity,
            title: { zh: a.titleZh, en: a.titleEn },
            createdAt: a.createdAt,
            notified: notices
              .filter((n) => n.alertId === id)
              .map((n) => ({
                userId: n.userId,
                displayName: name(n.userId)!,
                at: n.notifiedAt,
                step: n.step,
                round: n.round,
                reason: n.reason,
              })),
            acknowledgedAt: a.acknowledgedAt,
            acknowledgedBy: a.acknowledgedBy,
            acknowledgedByName: name(a.acknowledgedBy),
            resolvedAt: a.resolvedAt,
            resolvedBy: a.resolvedBy,
            resolvedByName: name(a.resolvedBy),
          },
        ];
      }),
    };
  }
}

export interface DutyLog {
  unitId: string;
  unitName: string;
  from: Date;
  to: Date;
  shifts: { from: Date; to: Date; userId: string | null; displayName: string | null; source: OnCallSource }[];
  alerts: {
    alertId: string;
    kind: string;
    severity: string;
    title: { zh: string; en: string };
    createdAt: Date;
    notified: { userId: string; displayName: string; at: Date; step: number; round: number; reason: string }[];
    acknowledgedAt: Date | null;
    acknowledgedBy: string | null;
    acknowledgedByName: string | null;
    resolvedAt: Date | null;
    resolvedBy: string | null;
    resolvedByName: string | null;
  }[];
}
