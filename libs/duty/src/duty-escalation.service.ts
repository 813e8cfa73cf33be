import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThanOrEqual } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { AlertsService, DutyAlert } from '@tongfa/alerts';
import { JobHandler } from '@tongfa/jobs';
import { NotificationKind, NotificationProducers, NotificationsService } from '@tongfa/notifications';
import { DEFAULT_POLICY, DutyNotice, DutyPage, DutyPageState, DutySchedule, EscalationTarget } from './entities';
import { DutyService, Routed } from './duty.service';

const BATCH = 100;
const MIN_MS = 60_000;

/**
 * Routes every duty alert to whoever is on call when it is raised, and escalates it step by step
 * while nobody acknowledges it. Each alert's escalation is a duty_page row with the next step and
 * its due time; one sweep tells whatever is due ("the database decides what work exists").
 */
@Injectable()
export class DutyEscalationService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly alerts: AlertsService,
    private readonly notifications: NotificationsService,
    private readonly producers: NotificationProducers,
    private readonly duty: DutyService,
  ) {}

  onModuleInit(): void {
    this.alerts.onRaised((a, m) => this.started(a, m));
  }

  /**
   * A new alert, inside the raiser's transaction: with no schedule over its unit, the duty officers
   * over it are told as before schedules existed; otherwise its escalation row is written and a
   * first step due now is told at once.
   */
  async started(a: DutyAlert, m: EntityManager): Promise<void> {
    const now = this.clock.now();
    const schedule = await this.duty.scheduleOver(m, a.unitPath);
    if (!schedule) {
      // As before schedules existed: every duty officer over the unit, less those told already as the alert's own people.
      const told = new Set((await this.producers.specificFor(a, m))?.users ?? []);
      const officers = (await this.duty.dutyOfficers(m, a.unitPath, false)).filter((id) => !told.has(id));
      await this.tell(m, a, a.unitId, a.unitPath, { userIds: officers, reason: 'unscheduled' }, 0, 0, now);
      return;
    }
    const policy = schedule.policy ?? DEFAULT_POLICY;
    const page = m.create(DutyPage, {
      id: newId(),
      alertId: a.id,
      unitId: schedule.unitId,
      unitPath: schedule.unitPath,
      state: policy.steps.length ? DutyPageState.Active : DutyPageState.Exhausted,
      step: 0,
      round: 0,
      nextAt: policy.steps.length ? new Date(now.getTime() + policy.steps[0]!.afterMinutes * MIN_MS) : null,
      createdAt: now,
    });
    await m.insert(DutyPage, page);
    if (page.nextAt && page.nextAt.getTime() <= now.getTime()) await this.advance(m, page, a, schedule, now);
  }

  @JobHandler('duty.escalation-sweep')
  async handleSweep(): Promise<void> {
    await this.sweep();
  }

  /** Tells every step that is due; returns how many steps were told or stopped. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const due = await this.ds.getRepository(DutyPage).find({
      where: { state: DutyPageState.Active, nextAt: LessThanOrEqual(now) },
      order: { nextAt: 'ASC', id: 'ASC' },
      take: BATCH,
    });
    let n = 0;
    for (const page of due) {
      await this.ds.transaction(async (m) => {
        const a = await m.findOneBy(DutyAlert, { id: page.alertId });
        if (!a || a.acknowledgedAt || a.resolvedAt) {
          // Conditional on the step seen: a concurrent sweep that already moved it is not undone.
          const r = await m.update(
            DutyPage,
            { id: page.id, state: DutyPageState.Active, step: page.step, round: page.round },
            { state: DutyPageState.Stopped, nextAt: null },
          );
          n += r.affected ? 1 : 0;
          return;
        }
        const schedule = await m.findOneBy(DutySchedule, { unitId: page.unitId });
        if (await this.advance(m, page, a, schedule, now)) n++;
      });
    }
    return n;
  }

  /**
   * Claims the page's current step (conditional update on step and round: of two sweeps, one wins
   * and only it tells anyone), moves it to the next step or round, then tells the claimed step.
   */
  private async advance(m: EntityManager, page: DutyPage, a: DutyAlert, schedule: DutySchedule | null, now: Date): Promise<boolean> {
    const policy = schedule?.policy ?? DEFAULT_POLICY;
    const step = policy.steps[page.step];
    let next: Partial<DutyPage>;
    if (!step) next = { state: DutyPageState.Exhausted, nextAt: null };
    else {
      let s = page.step + 1;
      let round = page.round;
      if (s >= policy.steps.length) {
        s = 0;
        round++;
      }
      next =
        round > policy.repeat
          ? { step: s, round, state: DutyPageState.Exhausted, nextAt: null }
          : { step: s, round, nextAt: new Date(now.getTime() + policy.steps[s]!.afterMinutes * MIN_MS) };
    }
    const claimed = await m.update(DutyPage, { id: page.id, state: DutyPageState.Active, step: page.step, round: page.round }, next);
    if (!claimed.affected || !step || !schedule) return !!claimed.affected;
    const routed = await this.route(m, step.notify, schedule, a, now);
    await this.tell(m, a, schedule.unitId, schedule.unitPath, routed, page.step, page.round, now);
    return true;
  }

  private async route(m: EntityManager, target: EscalationTarget, schedule: DutySchedule, a: DutyAlert, now: Date): Promise<Routed> {
    if (target.kind === 'user') {
      // Checked again now: the named person may have lost their role since the policy was saved.
      const ok = (await this.duty.people(m, [target.userId])).length && (await this.eligible(m, a.unitPath, target.userId));
      return ok ? { userIds: [target.userId], reason: 'user' } : this.gap(m, schedule.unitPath);
    }
    let at = schedule;
    if (target.kind === 'parent_on_call') {
      const above = await this.duty.scheduleOver(m, schedule.unitPath, { strictlyAbove: true });
      if (!above) {
        const parentPath = schedule.unitPath.split('/').filter(Boolean).slice(0, -1);
        // The root has no parent: its own on-call person is told again.
        if (parentPath.length) return this.gap(m, `/${parentPath.join('/')}/`);
      } else at = above;
    }
    const r = await this.duty.resolveAt(m, at, a.unitPath, now);
    return r.userId ? { userIds: [r.userId], reason: r.source.kind === 'override' ? 'override' : 'layer' } : this.gap(m, at.unitPath);
  }

  private async eligible(m: EntityManager, alertPath: string, userId: string): Promise<boolean> {
    return (await this.duty.eligibleOver(m, alertPath)).has(userId);
  }

  /** A gap in the schedule: the nearest duty officers of the unit are told, and the log says it was a gap. */
  private async gap(m: EntityManager, unitPath: string): Promise<Routed> {
    return { userIds: await this.duty.dutyOfficers(m, unitPath, true), reason: 'gap' };
  }

  private async tell(
    m: EntityManager,
    a: DutyAlert,
    unitId: string,
    unitPath: string,
    routed: Routed,
    step: number,
    round: number,
    now: Date,
  ): Promise<void> {
    if (!routed.userIds.length) return;
    const first = step === 0 && round === 0;
    await this.notifications.notify(
      {
        kind: NotificationKind.Alert,
        unitId: a.unitId,
        unitPath: a.unitPath,
        title: first ? { zh: a.titleZh, en: a.titleEn } : { zh: `【值班升级】${a.titleZh}`, en: `[Escalated] ${a.titleEn}` },
        body: first
          ? { zh: a.messageZh, en: a.messageEn }
          : {
              zh: `该提醒尚未确认，已升级通知您。${a.messageZh}`,
              en: `Nobody has acknowledged this alert yet; it was escalated to you. ${a.messageEn}`,
            },
        link: { type: 'duty_alert', id: a.id },
        // The first step keeps the key alerts always had, so a notification is never doubled.
        key: first ? `alert:${a.id}` : `alert:${a.id}:${round}.${step}`,
      },
      routed.userIds,
      m,
    );
    await m.insert(
      DutyNotice,
      routed.userIds.map((userId) => ({
        id: newId(),
        alertId: a.id,
        unitId,
        unitPath,
        userId,
        step,
        round,
        reason: routed.reason,
        notifiedAt: now,
      })),
    );
  }
}
