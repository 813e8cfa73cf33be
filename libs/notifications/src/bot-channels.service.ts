import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThanOrEqual } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { pathInScope } from '@tongfa/database';
import { CredentialVault } from '@tongfa/accounts';
import { Actor, Role, Unit } from '@tongfa/identity';
import { JobHandler } from '@tongfa/jobs';
import { BotProvider, NotificationChannel, NotificationDelivery, NotificationKind } from './entities';
import { NotificationError, NotificationException } from './notifications.exception';
import { NotificationEvent, NotificationsService } from './notifications.service';
import { BotTarget, BotTransport } from './bot-transport';

export interface ChannelInput {
  provider: BotProvider;
  name: string;
  kinds: NotificationKind[];
  enabled?: boolean;
  /** WeCom: the webhook `key`. */
  key?: string;
  /** DingTalk: the robot's `access_token`, and its 加签 secret when signing is on. */
  accessToken?: string;
  signSecret?: string;
}

export interface ChannelView {
  id: string;
  unitId: string;
  provider: BotProvider;
  name: string;
  kinds: string[];
  enabled: boolean;
  signed: boolean;
  /** `••••abcd`: enough to tell two bots apart, never the secret. */
  secretHint: string;
  createdAt: Date;
  updatedAt: Date;
  /** The last deliveries' outcome, newest first. */
  recent?: { state: string; attempts: number; lastError: string | null; sentAt: Date | null; createdAt: Date; title: string }[];
}

/** Backoff after each failed attempt (then the delivery fails for good). */
export const DELIVERY_BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000];
/** A claim older than this is taken over by the next sweep (the sender died mid-call). */
const LEASE_MS = 2 * 60_000;
const BATCH = 50;

const tail = (s: string) => `••••${s.slice(-4)}`;

function channelView(c: NotificationChannel): ChannelView {
  return {
    id: c.id,
    unitId: c.unitId,
    provider: c.provider,
    name: c.name,
    kinds: c.kinds,
    enabled: c.enabled,
    signed: c.signed,
    secretHint: c.secretTail,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/**
 * Unit bots (政务微信 / 钉钉 groups): configured by a unit admin over the unit, they receive the
 * unit's notifications of the chosen kinds. Delivery is outside work: a row per event and channel,
 * sent by a recurring sweep with retries and backoff.
 */
@Injectable()
export class BotChannelsService implements OnModuleInit {
  private readonly logger = new Logger('BotChannels');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly vault: CredentialVault,
    private readonly transport: BotTransport,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.notifications.onNotified((e, m) => this.enqueue(e, m));
  }

  private async unitFor(actor: Actor, unitId: string): Promise<Unit> {
    const unit = await this.ds.getRepository(Unit).findOneBy({ id: unitId });
    const admin = actor.grants.filter((g) => g.role === Role.UnitAdmin).map((g) => g.unitPath);
    if (
      !unit ||
      !pathInScope(
        unit.path,
        actor.grants.map((g) => g.unitPath),
      )
    )
      throw new NotificationException(NotificationError.ChannelNotFound);
    if (!pathInScope(unit.path, admin)) throw new NotificationException(NotificationError.NotUnitAdmin);
    return unit;
  }

  private async channelFor(actor: Actor, id: string): Promise<NotificationChannel> {
    const c = await this.ds.getRepository(NotificationChannel).findOneBy({ id });
    if (
      !c ||
      !pathInScope(
        c.unitPath,
        actor.grants.map((g) => g.unitPath),
      )
    )
      throw new NotificationException(NotificationError.ChannelNotFound);
    if (
      !pathInScope(
        c.unitPath,
        actor.grants.filter((g) => g.role === Role.UnitAdmin).map((g) => g.unitPath),
      )
    )
      throw new NotificationException(NotificationError.NotUnitAdmin);
    return c;
  }

  /** For the audit record of a change (the caller has already been checked). */
  async unitPathOf(id: string): Promise<string> {
    const c = await this.ds.getRepository(NotificationChannel).findOneBy({ id });
    if (!c) throw new NotificationException(NotificationError.ChannelNotFound);
    return c.unitPath;
  }

  async list(actor: Actor, unitId: string): Promise<ChannelView[]> {
    await this.unitFor(actor, unitId);
    const rows = await this.ds.getRepository(NotificationChannel).find({ where: { unitId }, order: { createdAt: 'ASC' } });
    const out: ChannelView[] = [];
    for (const c of rows) {
      const recent = await this.ds
        .getRepository(NotificationDelivery)
        .find({ where: { channelId: c.id }, order: { createdAt: 'DESC' }, take: 5 });
      out.push({
        ...channelView(c),
        recent: recent.map((d) => ({
          state: d.state,
          attempts: d.attempts,
          lastError: d.lastError,
          sentAt: d.sentAt,
          createdAt: d.createdAt,
          title: d.title,
        })),
      });
    }
    return out;
  }

  async create(actor: Actor, unitId: string, input: ChannelInput): Promise<ChannelView> {
    const unit = await this.unitFor(actor, unitId);
    if ((await this.ds.getRepository(NotificationChannel).countBy({ unitId })) >= 10)
      throw new NotificationException(NotificationError.ChannelLimit);
    const secret = this.secretOf(input);
    if (!secret)
      throw new NotificationException(NotificationError.ChannelSecretMissing, {}, [
        { field: input.provider === BotProvider.WeCom ? 'key' : 'accessToken', message: '必填 / required' },
      ]);
    const id = newId();
    const sealed = this.vault.seal(id, secret.plain);
    const row = this.ds.getRepository(NotificationChannel).create({
      id,
      unitId: unit.id,
      unitPath: unit.path,
      provider: input.provider,
      name: input.name,
      kinds: [...new Set(input.kinds)],
      enabled: input.enabled ?? true,
      keyId: sealed.keyId,
      algorithm: sealed.algorithm,
      sealed: sealed.sealed,
      secretTail: tail(secret.id),
      signed: !!secret.plain.signSecret,
      createdBy: actor.userId,
    });
    await this.ds.getRepository(NotificationChannel).insert(row);
    return channelView(await this.ds.getRepository(NotificationChannel).findOneByOrFail({ id }));
  }

  async update(actor: Actor, id: string, input: Partial<ChannelInput>): Promise<ChannelView> {
    const c = await this.channelFor(actor, id);
    const patch: Partial<NotificationChannel> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.kinds !== undefined) patch.kinds = [...new Set(input.kinds)];
    if (input.enabled !== undefined) patch.enabled = input.enabled;
    const secret = this.secretOf({ ...input, provider: c.provider });
    if (secret) {
      const sealed = this.vault.seal(id, secret.plain);
      Object.assign(patch, {
        keyId: sealed.keyId,
        algorithm: sealed.algorithm,
        sealed: sealed.sealed,
        secretTail: tail(secret.id),
        signed: !!secret.plain.signSecret,
      });
    }
    if (Object.keys(patch).length) await this.ds.getRepository(NotificationChannel).update({ id }, patch);
    return channelView(await this.ds.getRepository(NotificationChannel).findOneByOrFail({ id }));
  }

  async remove(actor: Actor, id: string): Promise<ChannelView> {
    const c = await this.channelFor(actor, id);
    await this.ds.transaction(async (m) => {
      await m.delete(NotificationDelivery, { channelId: id, state: 'pending' });
      await m.delete(NotificationChannel, { id });
    });
    return channelView(c);
  }

  private secretOf(input: Partial<ChannelInput> & { provider: BotProvider }): { id: string; plain: Record<string, string> } | null {
    if (input.provider === BotProvider.WeCom) return input.key ? { id: input.key, plain: { key: input.key } } : null;
    if (!input.accessToken) return null;
    return {
      id: input.accessToken,
      plain: input.signSecret ? { accessToken: input.accessToken, signSecret: input.signSecret } : { accessToken: input.accessToken },
    };
  }

  /** The sink: one pending delivery per enabled channel of the event's unit that takes its kind. */
  async enqueue(e: NotificationEvent, m: EntityManager): Promise<void> {
    const channels = (await m.find(NotificationChannel, { where: { unitId: e.unitId, enabled: true } })).filter((c) =>
      c.kinds.includes(e.kind),
    );
    if (!channels.length) return;
    const now = this.clock.now();
    const rows = channels.map((c) => ({
      id: newId(),
      channelId: c.id,
      unitPath: e.unitPath,
      kind: e.kind,
      title: e.title.zh.slice(0, 200),
      text: e.body.zh.slice(0, 2000),
      dedupeKey: `${e.key}:${c.id}`.slice(0, 191),
      state: 'pending' as const,
      attempts: 0,
      nextAttemptAt: now,
      claimedAt: null,
      lastError: null,
      sentAt: null,
      createdAt: now,
    }));
    // INSERT IGNORE on the dedupe key: the same event told twice reaches a group once.
    await m.createQueryBuilder().insert().into(NotificationDelivery).values(rows).orIgnore().execute();
  }

  @JobHandler('notification.delivery-sweep')
  async handleDeliverySweep(): Promise<{ sent: number; failed: number; retrying: number }> {
    const now = this.clock.now();
    const due = await this.ds.getRepository(NotificationDelivery).find({
      where: { state: 'pending', nextAttemptAt: LessThanOrEqual(now) },
      order: { nextAttemptAt: 'ASC' },
      take: BATCH,
    });
    const out = { sent: 0, failed: 0, retrying: 0 };
    const channels = new Map(
      (due.length
        ? await this.ds.getRepository(NotificationChannel).findBy({ id: In([...new Set(due.map((d) => d.channelId))]) })
        : []
      ).map((c) => [c.id, c]),
    );
    for (const d of due) {
      // Claim by moving the due time past a lease, conditional on the row as read: of two sweeps
      // (two workers, a repeated job) one sends; if the sender dies, the lease expires and the row is due again.
      const claim = await this.ds
        .createQueryBuilder()
        .update(NotificationDelivery)
        .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS), claimedAt: now, attempts: d.attempts + 1 })
        .where('id = :id AND state = :s AND attempts = :a', { id: d.id, s: 'pending', a: d.attempts })
        .execute();
      if (!claim.affected) continue;
      const c = channels.get(d.channelId);
      if (!c || !c.enabled) {
        await this.ds
          .getRepository(NotificationDelivery)
          .update({ id: d.id }, { state: 'failed', nextAttemptAt: null, lastError: '机器人已停用或删除 / bot disabled or removed' });
        out.failed++;
        continue;
      }
      let target: BotTarget;
      try {
        const plain = this.vault.open(c.id, { keyId: c.keyId, algorithm: c.algorithm, sealed: c.sealed }) as Record<string, string>;
        target =
          c.provider === BotProvider.WeCom
            ? { provider: BotProvider.WeCom, key: plain.key! }
            : { provider: BotProvider.DingTalk, accessToken: plain.accessToken!, signSecret: plain.signSecret };
      } catch {
        await this.ds
          .getRepository(NotificationDelivery)
          .update({ id: d.id }, { state: 'failed', nextAttemptAt: null, lastError: '密钥无法解密 / the secret cannot be opened' });
        out.failed++;
        continue;
      }
      const result = await this.transport.send(target, { title: d.title, text: d.text }, this.clock.now());
      const attempts = d.attempts + 1;
      if (result.ok) {
        await this.ds
          .getRepository(NotificationDelivery)
          .update({ id: d.id }, { state: 'sent', sentAt: this.clock.now(), nextAttemptAt: null, lastError: null });
        out.sent++;
      } else {
        const error = `${result.code}: ${result.message}`.slice(0, 300);
        const backoff = DELIVERY_BACKOFF_MS[attempts - 1];
        if (result.permanent || backoff === undefined) {
          await this.ds
            .getRepository(NotificationDelivery)
            .update({ id: d.id }, { state: 'failed', nextAttemptAt: null, lastError: error });
          out.failed++;
          this.logger.warn(`bot delivery ${d.id} failed: ${error}`);
        } else {
          await this.ds
            .getRepository(NotificationDelivery)
            .update({ id: d.id }, { nextAttemptAt: new Date(this.clock.now().getTime() + backoff), lastError: error });
          out.retrying++;
        }
      }
    }
    return out;
  }
}
