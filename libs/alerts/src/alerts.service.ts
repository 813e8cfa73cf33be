import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, CommonError, CommonException, Message, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, pathInScope, whereInScope } from '@tongfa/database';
import { Actor, Permission } from '@tongfa/identity';
import { DutyAlert, DutyAlertKind, DutyAlertSeverity } from './entities';
import { AlertError, AlertException } from './alerts.exception';

export interface RaiseAlertInput {
  kind: DutyAlertKind;
  severity: DutyAlertSeverity;
  unitId: string;
  unitPath: string;
  title: Message;
  message: Message;
  link: { type: string; id: string };
  /** Names the occurrence; a second raise with the same key is a no-op. */
  dedupeKey: string;
}

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

/**
 * Told of each alert as it is recorded, inside the raiser's transaction (so what a listener
 * writes commits or rolls back with the alert). Contexts above alerts (notifications) register
 * here at start-up; alerts never import them.
 */
export type AlertListener = (alert: DutyAlert, manager: EntityManager) => Promise<void>;

export interface AlertListQuery extends PageQuery {
  status?: AlertStatus;
  kind?: DutyAlertKind;
}

export interface AlertView {
  id: string;
  kind: DutyAlertKind;
  severity: DutyAlertSeverity;
  status: AlertStatus;
  unitId: string;
  unitPath: string;
  title: Message;
  message: Message;
  link: { type: string; id: string };
  createdAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export function alertView(a: DutyAlert): AlertView {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    status: a.resolvedAt ? 'resolved' : a.acknowledgedAt ? 'acknowledged' : 'open',
    unitId: a.unitId,
    unitPath: a.unitPath,
    title: { zh: a.titleZh, en: a.titleEn },
    message: { zh: a.messageZh, en: a.messageEn },
    link: { type: a.resourceType, id: a.resourceId },
    createdAt: a.createdAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: a.resolvedAt,
    resolvedBy: a.resolvedBy,
  };
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Duty alerts (值班提醒): raised by the domains (review escalation, publishing, accounts), read and
 * acknowledged by the duty officers over the unit's subtree.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger('AlertsService');
  private readonly listeners: AlertListener[] = [];

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  onRaised(listener: AlertListener): void {
    this.listeners.push(listener);
  }

  /**
   * Records an alert once per dedupe key; returns null when that occurrence was already raised.
   * Pass the caller's transaction so the alert commits (or not) with the change it reports.
   */
  async raise(input: RaiseAlertInput, manager?: EntityManager): Promise<DutyAlert | null> {
    const m = manager ?? this.ds.manager;
    if (await m.exists(DutyAlert, { where: { dedupeKey: input.dedupeKey } })) return null;
    const alert = m.create(DutyAlert, {
      id: newId(),
      kind: input.kind,
      severity: input.severity,
      unitId: input.unitId,
      unitPath: input.unitPath,
      titleZh: clip(input.title.zh, 200),
      titleEn: clip(input.title.en, 200),
      messageZh: clip(input.message.zh, 1000),
      messageEn: clip(input.message.en, 1000),
      resourceType: input.link.type,
      resourceId: input.link.id,
      dedupeKey: input.dedupeKey,
      createdAt: this.clock.now(),
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      resolvedBy: null,
    });
    try {
      await m.insert(DutyAlert, alert);
    } catch (e) {
      // The unique dedupe key lost a race with an identical raise: the occurrence is recorded.
      if (await m.exists(DutyAlert, { where: { dedupeKey: input.dedupeKey } })) return null;
      throw e;
    }
    for (const listener of this.listeners) {
      // A listener's failure (a notification not written) must not undo the alert or the change it reports.
      try {
        await listener(alert, m);
      } catch (e) {
        this.logger.warn(`alert listener failed for ${alert.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return alert;
  }

  async list(actor: Actor, q: AlertListQuery): Promise<Page<AlertView>> {
    const scope = actor.scope(Permission.AlertRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    const qb = this.ds.getRepository(DutyAlert).createQueryBuilder('a');
    whereInScope(qb, 'a.unitPath', scope);
    if (q.status === 'open') qb.andWhere('a.acknowledgedAt IS NULL AND a.resolvedAt IS NULL');
    if (q.status === 'acknowledged') qb.andWhere('a.acknowledgedAt IS NOT NULL AND a.resolvedAt IS NULL');
    if (q.status === 'resolved') qb.andWhere('a.resolvedAt IS NOT NULL');
    if (q.kind) qb.andWhere('a.kind = :kind', { kind: q.kind });
    const { skip, take } = pageOffset(q);
    const [items, total] = await fetchPage(qb.orderBy('a.createdAt', 'DESC').addOrderBy('a.id', 'DESC'), skip, take);
    return { items: items.map(alertView), total };
  }

  /** Acknowledges an alert; acknowledging it again keeps the first officer and time. */
  async acknowledge(actor: Actor, id: string): Promise<{ alert: AlertView; changed: boolean }> {
    const repo = this.ds.getRepository(DutyAlert);
    const found = await repo.findOne({ where: { id } });
    if (!found || !pathInScope(found.unitPath, actor.scope(Permission.AlertRead))) throw new AlertException(AlertError.NotFound);
    if (!pathInScope(found.unitPath, actor.scope(Permission.AlertAck))) throw new CommonException(CommonError.Forbidden);
    // Conditional on still open: two officers acknowledging at once leave one name on it.
    const res = await repo
      .createQueryBuilder()
      .update(DutyAlert)
      .set({ acknowledgedAt: this.clock.now(), acknowledgedBy: actor.userId })
      .where('id = :id AND acknowledgedAt IS NULL', { id })
      .execute();
    return { alert: alertView(await repo.findOneByOrFail({ id })), changed: !!res.affected };
  }

  /**
   * Resolves an alert (the problem is dealt with); resolving acknowledges it too when nobody had.
   * Resolving it again keeps the first officer and time.
   */
  async resolve(actor: Actor, id: string): Promise<{ alert: AlertView; changed: boolean }> {
    const repo = this.ds.getRepository(DutyAlert);
    const found = await repo.findOne({ where: { id } });
    if (!found || !pathInScope(found.unitPath, actor.scope(Permission.AlertRead))) throw new AlertException(AlertError.NotFound);
    if (!pathInScope(found.unitPath, actor.scope(Permission.AlertAck))) throw new CommonException(CommonError.Forbidden);
    const now = this.clock.now();
    // Conditional on still unresolved, like acknowledge: of two officers at once, one name stays.
    const res = await repo
      .createQueryBuilder()
      .update(DutyAlert)
      .set({
        resolvedAt: now,
        resolvedBy: actor.userId,
        acknowledgedAt: found.acknowledgedAt ?? now,
        acknowledgedBy: found.acknowledgedBy ?? actor.userId,
      })
      .where('id = :id AND resolvedAt IS NULL', { id })
      .execute();
    return { alert: alertView(await repo.findOneByOrFail({ id })), changed: !!res.affected };
  }
}
