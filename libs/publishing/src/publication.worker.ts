import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { JsonValue, Rendition } from '@tongfa/plugin-sdk';
import { AppConfig, Clock, formatLocalTime, newId } from '@tongfa/core';
import { JobHandler, JobPayloads } from '@tongfa/jobs';
import { Account, AccountConnection, AccountStatus } from '@tongfa/accounts';
import { MediaService } from '@tongfa/media';
import { AssetSource, PluginCallError, PluginHost, PublishOutcome } from '@tongfa/plugins';
import { Publication, PublicationAttempt, PublicationTarget, TargetState } from './entities';
import { PublicationsService } from './publications.service';
import { clipPlatformText, publicReason } from './public-reason';
import { Dispatcher } from './dispatcher';
import { AlertsService } from '@tongfa/alerts';
import { raisePublishFailedAlert } from './publish-failed.alert';
import { CorrectionsService } from './corrections.service';

const POLL_FIRST_MS = 1000;
const POLL_MAX_MS = 60_000;
const POLL_GIVE_UP_MS = 24 * 3600_000;
const RETRACT_MAX_ATTEMPTS = 5;
const EDIT_MAX_ATTEMPTS = 5;
/** Checks for an existing post that may fail for want of an answer before a person is asked. */
const MAX_EXISTENCE_CHECKS = 8;

/**
 * The worker side of publishing. Every handler first claims its target row with a conditional
 * UPDATE; a duplicate or late delivery finds the row claimed or done and returns without a call
 * to the platform. Every platform call is preceded by an attempt row.
 */
@Injectable()
export class PublicationWorker {
  private readonly logger = new Logger('PublicationWorker');
  readonly workerId = `w-${process.pid}-${newId().slice(-6)}`;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly host: PluginHost,
    private readonly media: MediaService,
    private readonly publications: PublicationsService,
    private readonly dispatcher: Dispatcher,
    private readonly alerts: AlertsService,
    private readonly corrections: CorrectionsService,
  ) {}

  private leaseMs(): number {
    return this.config.env.TONGFA_PUBLISH_LEASE_SECONDS * 1000;
  }

  @JobHandler('publication.publish')
  async handlePublish({ targetId }: JobPayloads['publication.publish']): Promise<void> {
    const now = this.clock.now();
    const claimed = await this.claim(targetId, ['queued', 'retry_wait', 'pending'], 'publishing', { dueBy: now });
    if (!claimed) return;
    await this.holding(targetId, () => this.publishClaimed(targetId));
  }

  private async publishClaimed(targetId: string): Promise<void> {
    // The target, its account and its attempts so far side by side: one round trip of waiting.
    const [target, accountRow, attemptsSoFar] = await Promise.all([
      this.ds.getRepository(PublicationTarget).findOneByOrFail({ id: targetId }),
      this.accountOfTarget(targetId),
      this.ds.getRepository(PublicationAttempt).count({ where: { targetId } }),
    ]);
    const key = target.id;
    try {
      // The account was fit to publish when the editor asked; a scheduled (or retried) target
      // runs later, and a unit may have suspended (关停) or cancelled (注销) the account, or lost
      // its authorization, in between. Such an account gets nothing.
      const unfit = this.accountUnfit(target, accountRow);
      if (unfit) {
        await this.settle(target, unfit);
        return;
      }
      // The checkpoint was read with the claimed row, and only this worker writes it while the
      // claim holds (save is conditional on it), so the copy in hand is the stored one. A save
      // that failed may still have committed: the copy is dropped and the next load reads the row.
      let known: { state: JsonValue | undefined } | null = { state: (target.checkpoint ?? undefined) as JsonValue | undefined };
      const checkpoints = {
        load: async () => {
          if (known) return known.state;
          const row = await this.ds
            .getRepository(PublicationTarget)
            .findOne({ where: { id: target.id }, select: { id: true, checkpoint: true } });
          return (row?.checkpoint ?? undefined) as JsonValue | undefined;
        },
        save: async (state: JsonValue) => {
          known = null;
          // Guarded by the claim: a worker whose lease lapsed cannot overwrite the new owner's progress.
          const res = await this.ds
            .getRepository(PublicationTarget)
            .update({ id: target.id, claimedBy: this.workerId }, { checkpoint: state as never });
          if (!res.affected) throw new Error('claim lost');
          known = { state };
        },
      };
      if (target.mustCheckExisting) {
        // The last attempt ended without an answer (its worker died): the post may exist.
        const attempt = await this.startAttempt(target, 'check');
        let found;
        try {
          found = await this.host.findExisting(
            { accountId: target.accountId, idempotencyKey: key, attemptsSoFar: target.attempts },
            checkpoints,
          );
        } catch (e) {
          const err = PluginCallError.from(e, []);
          // No answer this time (rate limit, 5xx, timeout) is not "the platform cannot tell": ask
          // again later, a bounded number of times, before handing the target to a person.
          const checks = await this.ds.getRepository(PublicationAttempt).count({ where: { targetId: target.id, kind: 'check' } });
          const retryable = err.kind === 'transient' || err.kind === 'rate_limited' || err.kind === 'ambiguous';
          if (retryable && checks < MAX_EXISTENCE_CHECKS) {
            await this.finishAttempt(attempt, 'error', err.message);
            const next = new Date(this.clock.now().getTime() + Math.min(30_000, err.retryAfterMs ?? 1000 * 2 ** Math.min(5, checks)));
            await this.settle(target, {
              state: 'retry_wait',
              nextAttemptAt: next,
              lastErrorKind: err.kind,
              lastError: `核实上次发布结果时平台暂时无响应，将于 ${formatLocalTime(next)} 再次核实：${publicReason(err)}`,
            });
            await this.dispatcher.dispatch([{ id: target.id, nextAttemptAt: next }]).catch(() => undefined);
            return;
          }
          await this.finishAttempt(attempt, 'unconfirmed', err.message);
          await this.settle(target, {
            state: 'unconfirmed',
            lastErrorKind: err.kind,
            lastError: `无法确认上次发布是否成功，请到平台核实后处理：${publicReason(err)}`,
          });
          return;
        }
        await this.finishAttempt(attempt, found ? 'found' : 'absent', null);
        if (found) {
          await this.applyOutcome(target, {
            state: found.status === 'processing' ? 'processing' : 'published',
            result: found,
            attempts: target.attempts,
          });
          return;
        }
        await this.ds.getRepository(PublicationTarget).update({ id: target.id, claimedBy: this.workerId }, { mustCheckExisting: false });
      }
      // A check attempt above moved the count on; otherwise the one read with the row stands.
      const [attempt, unitId] = await Promise.all([
        this.startAttempt(target, 'publish', target.mustCheckExisting ? undefined : attemptsSoFar),
        this.unitOf(target),
      ]);
      const outcome = await this.host.publish(
        { accountId: target.accountId, idempotencyKey: key, attemptsSoFar: target.attempts },
        target.rendition as Rendition<unknown>,
        checkpoints,
        { assets: this.assetsFor(unitId), videos: this.videosFor(unitId), account: accountRow ?? undefined },
      );
      await this.finishAttempt(attempt, outcome.state, outcome.error?.message ?? null);
      await this.applyOutcome(target, outcome);
    } catch (e) {
      // An error of ours (database, claim lost): leave the row for the reconciler to re-examine.
      this.logger.error(`publish of target ${targetId} stopped: ${e instanceof Error ? e.message : String(e)}`);
      await this.ds.getRepository(PublicationTarget).update(
        { id: target.id, claimedBy: this.workerId },
        {
          state: 'queued',
          claimedBy: null,
          claimedUntil: null,
          mustCheckExisting: true,
          nextAttemptAt: new Date(this.clock.now().getTime() + 5000),
        },
      );
    }
  }

  @JobHandler('publication.poll')
  async handlePoll({ targetId }: JobPayloads['publication.poll']): Promise<void> {
    const now = this.clock.now();
    const claimed = await this.claim(targetId, ['publishing'], 'publishing', { dueBy: now, requireRemote: true });
    if (!claimed) return;
    const target = await this.ds.getRepository(PublicationTarget).findOneByOrFail({ id: targetId });
    const attempt = await this.startAttempt(target, 'poll');
    try {
      const status = await this.host.publishStatus(target.accountId, target.remoteId!);
      await this.finishAttempt(attempt, status.status, status.reason ?? null);
      if (status.status === 'published') {
        await this.settle(target, {
          state: 'published',
          url: status.url ?? target.url,
          publishedAt: this.clock.now(),
          lastError: null,
          lastErrorKind: null,
        });
        await this.touchAccount(target.accountId);
      } else if (status.status === 'processing') {
        const age = now.getTime() - target.createdAt.getTime();
        if (age > POLL_GIVE_UP_MS) {
          await this.settle(target, {
            state: 'unconfirmed',
            lastError: '平台长时间未给出发布结果，请到平台核实 / the platform never finished processing',
          });
          return;
        }
        // Back off by the polls made so far, not by every attempt of the target: retries of the
        // publish itself (faults) must not push the first status checks minutes apart.
        const polls = await this.ds.getRepository(PublicationAttempt).count({ where: { targetId: target.id, kind: 'poll' } });
        const wait = Math.min(POLL_MAX_MS, POLL_FIRST_MS * 2 ** Math.min(10, polls - 1));
        const next = new Date(now.getTime() + wait);
        await this.settle(target, { state: 'publishing', nextAttemptAt: next });
        await this.dispatcher.dispatchPoll(target.id, next).catch(() => undefined);
      } else {
        // The platform review's verdict, bounded plain text (see publicReason).
        const reason = clipPlatformText(status.reason ?? status.status, 120);
        await this.settle(target, {
          state: 'failed',
          lastErrorKind: status.status === 'rejected' ? 'rejected_by_review' : status.status,
          lastError: status.status === 'rejected' ? `平台审核未通过：${reason}` : `平台发布失败：${reason}`,
        });
      }
    } catch (e) {
      const err = PluginCallError.from(e, []);
      await this.finishAttempt(attempt, 'error', err.message);
      const next = new Date(now.getTime() + (err.retryAfterMs ?? 10_000));
      await this.settle(target, { state: 'publishing', nextAttemptAt: next, lastError: `查询发布状态失败，将重试：${publicReason(err)}` });
      await this.dispatcher.dispatchPoll(target.id, next).catch(() => undefined);
    }
  }

  @JobHandler('publication.retract')
  async handleRetract({ targetId }: JobPayloads['publication.retract']): Promise<void> {
    const now = this.clock.now();
    const claimed = await this.claim(targetId, ['retracting'], 'retracting', { dueBy: now });
    if (!claimed) return;
    const target = await this.ds.getRepository(PublicationTarget).findOneByOrFail({ id: targetId });
    const attempt = await this.startAttempt(target, 'retract');
    try {
      await this.host.call(target.accountId, 'retract', (ctx, p) => p.plugin.retract!(ctx, target.remoteId!));
      await this.finishAttempt(attempt, 'retracted', null);
      await this.settle(target, {
        state: 'retracted',
        attempts: target.attempts + 1,
        retractedAt: this.clock.now(),
        lastError: null,
        lastErrorKind: null,
      });
      // A correction waiting on this post to be gone may publish now (the reconciler repeats this).
      await this.corrections.afterRetract(target.id);
    } catch (e) {
      const err = PluginCallError.from(e, []);
      await this.finishAttempt(attempt, 'error', err.message);
      const retryable = err.kind === 'transient' || err.kind === 'rate_limited' || err.kind === 'ambiguous';
      if (retryable && target.attempts < RETRACT_MAX_ATTEMPTS) {
        const next = new Date(now.getTime() + (err.retryAfterMs ?? 2000 * 2 ** target.attempts));
        await this.settle(target, {
          state: 'retracting',
          attempts: target.attempts + 1,
          nextAttemptAt: next,
          lastError: `撤回失败，将重试：${publicReason(err)}`,
        });
        await this.dispatcher.dispatchRetract([target.id]).catch(() => undefined);
      } else {
        await this.settle(target, {
          state: 'retract_failed',
          attempts: target.attempts + 1,
          lastErrorKind: err.kind,
          lastError: `撤回失败，请到平台手动删除：${publicReason(err)}`,
        });
        await this.corrections.afterRetract(target.id);
      }
    }
  }

  /**
   * A correction that edits the post in place. `editing` is both the waiting and the running state
   * (as `retracting` is): an edit is idempotent, it replaces the content of the same remote post, so
   * a duplicate delivery or a lapsed claim simply runs it again and never makes a second post.
   */
  @JobHandler('publication.edit')
  async handleEdit({ targetId }: JobPayloads['publication.edit']): Promise<void> {
    const now = this.clock.now();
    const claimed = await this.claim(targetId, ['editing'], 'editing', { dueBy: now, requireRemote: true });
    if (!claimed) return;
    await this.holding(targetId, () => this.editClaimed(targetId));
  }

  private async editClaimed(targetId: string): Promise<void> {
    const target = await this.ds.getRepository(PublicationTarget).findOneByOrFail({ id: targetId });
    const attempt = await this.startAttempt(target, 'edit');
    try {
      const result = await this.host.call(
        target.accountId,
        'edit',
        (ctx, p) => p.plugin.edit!(ctx, target.remoteId!, target.rendition as Rendition<unknown>),
        { assets: this.assetsFor(await this.unitOf(target)), idempotencyKey: target.id },
      );
      await this.finishAttempt(attempt, result.status, null);
      const now = this.clock.now();
      if (result.status === 'processing') {
        // The platform reviews the edit: poll it like a publish that is processing.
        const next = new Date(now.getTime() + POLL_FIRST_MS);
        await this.settle(target, {
          state: 'publishing',
          attempts: target.attempts + 1,
          remoteId: result.remoteId || target.remoteId,
          url: result.url ?? target.url,
          nextAttemptAt: next,
          lastError: null,
        });
        await this.dispatcher.dispatchPoll(target.id, next).catch(() => undefined);
        return;
      }
      await this.settle(target, {
        state: 'published',
        attempts: target.attempts + 1,
        remoteId: result.remoteId || target.remoteId,
        url: result.url ?? target.url,
        publishedAt: now,
        lastError: null,
        lastErrorKind: null,
      });
      await this.touchAccount(target.accountId);
    } catch (e) {
      const err = PluginCallError.from(e, []);
      await this.finishAttempt(attempt, 'error', err.message);
      // Ambiguous is retryable here, unlike a publish: repeating an edit cannot duplicate the post.
      const retryable = err.kind === 'transient' || err.kind === 'rate_limited' || err.kind === 'ambiguous';
      if (retryable && target.attempts + 1 < EDIT_MAX_ATTEMPTS) {
        const next = new Date(this.clock.now().getTime() + (err.retryAfterMs ?? 2000 * 2 ** target.attempts));
        await this.settle(target, {
          state: 'editing',
          attempts: target.attempts + 1,
          nextAttemptAt: next,
          lastErrorKind: err.kind,
          lastError: `更正（修改原稿）暂时失败，将于 ${formatLocalTime(next)} 重试：${publicReason(err)}`,
        });
        await this.dispatcher.dispatchEdit([{ id: target.id, nextAttemptAt: next }]).catch(() => undefined);
        return;
      }
      await this.settle(target, {
        state: err.kind === 'auth_expired' ? 'needs_reauth' : 'failed',
        attempts: target.attempts + 1,
        lastErrorKind: err.kind,
        lastError: `更正未生效，平台上仍是原稿：${publicReason(err)}`,
      });
      await this.corrections.editFailed(target);
    }
  }

  /** The account facts a publish needs: its fitness (status, connection) and what the plugin host uses. */
  private accountOfTarget(targetId: string): Promise<AccountRow | null> {
    return this.ds
      .getRepository(Account)
      .createQueryBuilder('a')
      .innerJoin(PublicationTarget, 't', 't.accountId = a.id')
      .select(['a.id', 'a.name', 'a.status', 'a.connection', 'a.platform', 'a.platformAccountId', 'a.endpoints', 'a.sandbox', 'a.settings'])
      .where('t.id = :targetId', { targetId })
      .getOne();
  }

  /** Why the target's account may not publish now, as the target's end state; null when it may. */
  private accountUnfit(target: PublicationTarget, account: AccountRow | null): Partial<PublicationTarget> | null {
    const name = account ? `账号“${account.name}”` : '账号';
    let end: Partial<PublicationTarget> | null = null;
    if (!account || account.status === AccountStatus.Cancelled) {
      end = { state: 'failed', lastErrorKind: 'account_cancelled', lastError: `${name}已注销，本次发布未执行` };
    } else if (account.status === AccountStatus.Suspended) {
      end = {
        state: 'failed',
        lastErrorKind: 'account_suspended',
        lastError: `${name}已关停，本次发布未执行；账号恢复后如仍需发布，请重新发布`,
      };
    } else if (![AccountStatus.Active, AccountStatus.Opened].includes(account.status)) {
      end = { state: 'failed', lastErrorKind: 'account_unavailable', lastError: `${name}当前不能发布，本次发布未执行` };
    } else if (account.connection === AccountConnection.NeedsReauth) {
      end = {
        state: 'needs_reauth',
        lastErrorKind: 'auth_expired',
        lastError: `${name}的授权已失效，本次发布未执行；请单位管理员重新授权后重新发布`,
      };
    } else if (account.connection !== AccountConnection.Connected) {
      end = { state: 'failed', lastErrorKind: 'account_disconnected', lastError: `${name}未连接平台，本次发布未执行` };
    }
    if (end && target.mustCheckExisting) {
      // An earlier attempt ended without an answer: the post may be out, and no one may ask the platform now.
      return {
        state: 'unconfirmed',
        lastErrorKind: end.lastErrorKind,
        lastError: `${end.lastError!.replace('本次发布未执行', '上次发布是否成功无法确认')}，请到平台核实`,
      };
    }
    return end;
  }

  /** A publication's unit never changes: remembered for the publications of a fan-out in hand. */
  private readonly unitOfPublication = new Map<string, string>();

  /** The unit whose publication the target belongs to: only its own media may go out. */
  private async unitOf(target: PublicationTarget): Promise<string> {
    const known = this.unitOfPublication.get(target.publicationId);
    if (known) return known;
    const pub = await this.ds
      .getRepository(Publication)
      .findOne({ where: { id: target.publicationId }, select: { id: true, unitId: true } });
    if (!pub) return '';
    if (this.unitOfPublication.size >= 1000) this.unitOfPublication.delete(this.unitOfPublication.keys().next().value!);
    this.unitOfPublication.set(pub.id, pub.unitId);
    return pub.unitId;
  }

  /**
   * Fetches media bytes for the host's image fitting. The rendition was checked when the
   * publication was made; a scheduled one runs later, so ownership is asked again here.
   */
  private assetsFor(unitId: string): AssetSource {
    return async (ref) => {
      const { media, stream } = await this.media.open(ref);
      if (media.unitId !== unitId) {
        stream.destroy();
        throw notOwned(ref);
      }
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      return { bytes: new Uint8Array(Buffer.concat(chunks)) };
    };
  }

  private videosFor(unitId: string): (ref: string, offset: number, length: number) => Promise<Uint8Array> {
    const checked = new Set<string>();
    return async (ref, offset, length) => {
      if (!checked.has(ref)) {
        if ((await this.media.unitOf(ref)) !== unitId) throw notOwned(ref);
        checked.add(ref);
      }
      return new Uint8Array(await this.media.readRange(ref, offset, length));
    };
  }

  private async applyOutcome(target: PublicationTarget, outcome: PublishOutcome): Promise<void> {
    const now = this.clock.now();
    const base = { attempts: outcome.attempts };
    switch (outcome.state) {
      case 'published':
        // The post is out either way: the account's last post time does not wait for the settle.
        await Promise.all([
          this.settle(target, {
            ...base,
            state: 'published',
            remoteId: outcome.result!.remoteId,
            url: outcome.result!.url ?? null,
            publishedAt: now,
            lastError: null,
            lastErrorKind: null,
            checkpoint: null,
          }),
          this.touchAccount(target.accountId),
        ]);
        return;
      case 'processing': {
        const next = new Date(now.getTime() + POLL_FIRST_MS);
        await this.settle(target, {
          ...base,
          state: 'publishing',
          remoteId: outcome.result!.remoteId,
          url: outcome.result!.url ?? null,
          nextAttemptAt: next,
          lastError: null,
        });
        await this.dispatcher.dispatchPoll(target.id, next).catch(() => undefined);
        return;
      }
      case 'retry_wait': {
        const next = outcome.retryAt ?? new Date(now.getTime() + 5000);
        await this.settle(target, {
          ...base,
          state: 'retry_wait',
          nextAttemptAt: next,
          // The post may exist (an ambiguous call whose check could not be made): ask first next time.
          ...(outcome.mustCheckExisting ? { mustCheckExisting: true } : {}),
          lastErrorKind: outcome.error?.kind ?? null,
          lastError: `暂时失败，将于 ${formatLocalTime(next)} 重试：${publicReason(outcome.error)}`,
        });
        await this.dispatcher.dispatch([{ id: target.id, nextAttemptAt: next }]).catch(() => undefined);
        return;
      }
      case 'needs_reauth':
        await this.settle(target, {
          ...base,
          state: 'needs_reauth',
          lastErrorKind: 'auth_expired',
          lastError: `账号授权已失效，请单位管理员重新授权后重试：${publicReason(outcome.error)}`,
        });
        return;
      case 'unconfirmed':
        await this.settle(target, {
          ...base,
          state: 'unconfirmed',
          lastErrorKind: outcome.error?.kind ?? 'ambiguous',
          lastError: `无法确认是否已发布，为避免重复发布已停止，请到平台核实：${publicReason(outcome.error)}`,
        });
        return;
      default:
        await this.settle(target, {
          ...base,
          state: 'failed',
          lastErrorKind: outcome.error?.kind ?? 'permanent',
          lastError: `发布失败：${publicReason(outcome.error)}`,
        });
    }
  }

  /**
   * Runs `fn` while keeping this worker's claim alive. The lease is short so that a dead worker's
   * targets recover quickly; a live worker renews it every third of the lease, so a slow platform
   * call never lets the reconciler hand the same target to a second worker mid-publish (which
   * would find no post yet and publish again). Renewal is conditional on still holding the claim.
   */
  private async holding<T>(targetId: string, fn: () => Promise<T>): Promise<T> {
    const renew = () =>
      this.ds
        .getRepository(PublicationTarget)
        .update({ id: targetId, claimedBy: this.workerId }, { claimedUntil: new Date(this.clock.now().getTime() + this.leaseMs()) })
        .catch((e: unknown) => this.logger.warn(`lease renewal of ${targetId} failed: ${e instanceof Error ? e.message : String(e)}`));
    const timer = setInterval(() => void renew(), Math.max(500, Math.floor(this.leaseMs() / 3)));
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * Claims a target for this worker: one conditional UPDATE, so two deliveries of the same job
   * (or a job and the reconciler) cannot both proceed. Returns false when another holds it, it is
   * done, or it is not due yet.
   */
  private async claim(id: string, from: TargetState[], to: TargetState, opts: { dueBy: Date; requireRemote?: boolean }): Promise<boolean> {
    const qb = this.ds
      .createQueryBuilder()
      .update(PublicationTarget)
      .set({ state: to, claimedBy: this.workerId, claimedUntil: new Date(opts.dueBy.getTime() + this.leaseMs()) })
      .where('id = :id', { id })
      .andWhere({ state: In(from) })
      .andWhere('claimedBy IS NULL')
      .andWhere('(nextAttemptAt IS NULL OR nextAttemptAt <= :due)', { due: new Date(opts.dueBy.getTime() + 1000) });
    if (opts.requireRemote) qb.andWhere('remoteId IS NOT NULL');
    const res = await qb.execute();
    return !!res.affected;
  }

  /** Writes the outcome and releases the claim, only if this worker still holds it. */
  private async settle(target: PublicationTarget, patch: Partial<PublicationTarget>): Promise<void> {
    const res = await this.ds
      .getRepository(PublicationTarget)
      .update({ id: target.id, claimedBy: this.workerId }, { ...patch, claimedBy: null, claimedUntil: null } as never);
    this.publications.scheduleStatusRefresh(target.publicationId);
    // 值班提醒 when a person must act (failed, needs_reauth, unconfirmed); only the claim holder's write counts.
    if (res.affected) await raisePublishFailedAlert(this.ds, this.alerts, target, patch);
  }

  /**
   * Writes the attempt row before the platform is called. `soFar`, the target's attempts counted
   * by the caller while it read the claimed row, saves a round trip; only the claim holder starts
   * attempts for a target, so the count cannot move in between. (An INSERT … SELECT MAX would
   * take shared gap locks on MariaDB and deadlock concurrent workers' inserts.)
   */
  private async startAttempt(target: PublicationTarget, kind: string, soFar?: number): Promise<PublicationAttempt> {
    const repo = this.ds.getRepository(PublicationAttempt);
    const count = soFar ?? (await repo.count({ where: { targetId: target.id } }));
    const attempt: PublicationAttempt = {
      id: newId(),
      targetId: target.id,
      number: count + 1,
      kind,
      idempotencyKey: target.id,
      worker: this.workerId,
      startedAt: this.clock.now(),
      finishedAt: null,
      outcome: null,
      error: null,
    };
    await repo.insert(attempt);
    return attempt;
  }

  private async finishAttempt(attempt: PublicationAttempt, outcome: string, error: string | null): Promise<void> {
    await this.ds
      .getRepository(PublicationAttempt)
      .update({ id: attempt.id }, { finishedAt: this.clock.now(), outcome, error: error?.slice(0, 1000) ?? null });
  }

  private async touchAccount(accountId: string): Promise<void> {
    await this.ds.getRepository(Account).update({ id: accountId }, { lastPostAt: this.clock.now() });
  }
}

type AccountRow = Pick<
  Account,
  'id' | 'name' | 'status' | 'connection' | 'platform' | 'platformAccountId' | 'endpoints' | 'sandbox' | 'settings'
>;

function notOwned(ref: string): PluginCallError {
  return new PluginCallError('permanent', `稿件引用的文件不属于本单位，已停止发布 / media ${ref} is not the publishing unit's`, {
    byHost: true,
  });
}
