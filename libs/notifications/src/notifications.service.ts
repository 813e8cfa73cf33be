import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, Message, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, whereInScope } from '@tongfa/database';
import { Actor, minimalPaths } from '@tongfa/identity';
import { Notification, NotificationKind } from './entities';
import { NotificationError, NotificationException } from './notifications.exception';

/** Something that happened at a unit, to be told to some of the people over it. */
export interface NotificationEvent {
  kind: NotificationKind;
  unitId: string;
  unitPath: string;
  title: Message;
  body: Message;
  link: { type: string; id: string };
  /** Names the occurrence; with the user id it makes each notification once. */
  key: string;
}

/** Told once per event that reached at least one person (the unit's bot channels listen here). */
export type NotificationSink = (event: NotificationEvent, manager: EntityManager) => Promise<void>;

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  unitId: string;
  title: Message;
  body: Message;
  link: { type: string; id: string };
  createdAt: Date;
  readAt: Date | null;
}

export interface NotificationListQuery extends PageQuery {
  unread?: boolean;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function notificationView(n: Notification): NotificationView {
  return {
    id: n.id,
    kind: n.kind,
    unitId: n.unitId,
    title: { zh: n.titleZh, en: n.titleEn },
    body: { zh: n.bodyZh, en: n.bodyEn },
    link: { type: n.resourceType, id: n.resourceId },
    createdAt: n.createdAt,
    readAt: n.readAt,
  };
}

/**
 * 站内通知: per-user rows, written by the producers (review, publishing, accounts, campaigns,
 * alerts) for recipients they computed from roles over the unit; each user reads only their own,
 * and only while they still hold a role over the unit it concerns.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('NotificationsService');
  private readonly sinks: NotificationSink[] = [];

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  onNotified(sink: NotificationSink): void {
    this.sinks.push(sink);
  }

  /**
   * Writes the event for each user (once per user and key: INSERT IGNORE on the unique dedupe key,
   * so a sweep or job delivered twice adds nothing), then tells the sinks, which dedupe the same way.
   */
  async notify(event: NotificationEvent, userIds: readonly string[], manager?: EntityManager): Promise<void> {
    const users = [...new Set(userIds)];
    const m = manager ?? this.ds.manager;
    const now = this.clock.now();
    const rows = users.map((userId) => ({
      id: newId(),
      userId,
      kind: event.kind,
      unitId: event.unitId,
      unitPath: event.unitPath,
      titleZh: clip(event.title.zh, 200),
      titleEn: clip(event.title.en, 200),
      bodyZh: clip(event.body.zh, 1000),
      bodyEn: clip(event.body.en, 1000),
      resourceType: event.link.type,
      resourceId: event.link.id,
      dedupeKey: clip(`${event.key}:${userId}`, 191),
      createdAt: now,
      readAt: null,
    }));
    // The sinks hear of the event even when no one at the unit is told in the console: a unit's group bot is for the unit.
    for (let i = 0; i < rows.length; i += 500) {
      await m
        .createQueryBuilder()
        .insert()
        .into(Notification)
        .values(rows.slice(i, i + 500))
        .orIgnore()
        .execute();
    }
    for (const sink of this.sinks) {
      try {
        await sink(event, m);
      } catch (e) {
        this.logger.warn(`notification sink failed for ${event.key}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  async list(actor: Actor, q: NotificationListQuery): Promise<Page<NotificationView>> {
    const qb = this.own(actor);
    if (q.unread) qb.andWhere('n.readAt IS NULL');
    const { skip, take } = pageOffset(q);
    const [items, total] = await fetchPage(qb.orderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'DESC'), skip, take);
    return { items: items.map(notificationView), total };
  }

  /** The bell's number: one indexed count, cheap enough to poll. */
  async unreadCount(actor: Actor): Promise<number> {
    return this.own(actor).andWhere('n.readAt IS NULL').getCount();
  }

  async markRead(actor: Actor, id: string): Promise<NotificationView> {
    const found = await this.own(actor).andWhere('n.id = :id', { id }).getOne();
    if (!found) throw new NotificationException(NotificationError.NotFound);
    if (!found.readAt) {
      found.readAt = this.clock.now();
      // Conditional: reading twice at once keeps the first time.
      await this.ds
        .createQueryBuilder()
        .update(Notification)
        .set({ readAt: found.readAt })
        .where('id = :id AND readAt IS NULL', { id })
        .execute();
    }
    return notificationView(await this.ds.getRepository(Notification).findOneByOrFail({ id }));
  }

  async markAllRead(actor: Actor): Promise<number> {
    const ids = (await this.own(actor).andWhere('n.readAt IS NULL').select('n.id').take(5000).getMany()).map((n) => n.id);
    let changed = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const res = await this.ds
        .createQueryBuilder()
        .update(Notification)
        .set({ readAt: this.clock.now() })
        .where('id IN (:...ids) AND readAt IS NULL', { ids: ids.slice(i, i + 500) })
        .execute();
      changed += res.affected ?? 0;
    }
    return changed;
  }

  /** The caller's own rows about units they still hold a role over. */
  private own(actor: Actor) {
    const qb = this.ds.getRepository(Notification).createQueryBuilder('n').where('n.userId = :me', { me: actor.userId });
    return whereInScope(qb, 'n.unitPath', minimalPaths(actor.grants.map((g) => g.unitPath)));
  }
}
