import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { JsonValue, Rendition } from '@tongfa/plugin-sdk';
import { AppConfig, Clock, formatLocalTime, newId } from '@tongfa/core';
import { JobHandler, JobPayloads } from '@tongfa/jobs';
import { Account, AccountConnection, AccountStatus } from '@tongfa/accounts';
import { MediaService } from '@tongfa/media';
import { AssetSource, OpenedCredentials, PluginCallError, PluginHost, PublishOutcome } from '@tongfa/plugins';
import { Publication, PublicationAttempt, PublicationTarget, TargetState } from './entities';
import { PublicationsService } from './publications.service';
import { clipPlatformText, publicReason } from './public-reason';
import { Dispatcher } from './dispatcher';
import { AlertsService } from '@tongfa/alerts';
import { raisePublishFailedAlert } from './publish-failed.alert';
import { CorrectionsService } from './corrections.service';
import { RankedSemaphore } from './ranked-semaphore';
import { AttemptLog } from './attempt-log';
import { CheckpointWriter } from './checkpoint-writer';

const POLL_FIRST_MS = 1000;
const POLL_MAX_MS = 60_000;
const POLL_GIVE_UP_MS = 24 * 3600_000;
const RETRACT_MAX_ATTEMPTS = 5;
const EDIT_MAX_ATTEMPTS = 5;
/** Checks for an existing post that may fail for want of an answer before a person is asked. */
const MAX_EXISTENCE_CHECKS = 8;
/** Accounts whose posts went out within this window share one last-post-time write. */
const TOUCH_WINDOW_MS = 15;

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
  ) {
    this.inFlight = new RankedSemaphore(config.env.TONGFA_PUBLISH_CONCURRENCY);
    this.attemptLog = new AttemptLog(ds);
    this.checkpointWriter = new CheckpointWriter(ds);
  }

  /** Checkpoints, written together with the others of the moment, each on its own claim. */
  private readonly checkpointWriter: CheckpointWriter;

  /** Attempt rows, written together with the others of the moment (group commit). */
  private readonly attemptLog: AttemptLog;

  private leaseMs(): number {
    return this.config.env.TONGFA_PUBLISH_LEASE_SECONDS * 1000;
  }

  /** Targets this process publishes at once (TONGFA_PUBLISH_CONCURRENCY), the most urgent first. */
  private readonly inFlight: RankedSemaphore;

  /** Claims made by this process so far: each claim's token is the worker id and this count. */
  private claims = 0;

  /**
   * A fresh claim token. A claim is one conditional UPDATE that writes the token into every row it
   * takes; every later write of the claim holder is conditional on it. Unique per claim, so a batch
   * can read back exactly the rows it took (a row this worker already holds under another claim,
   * from a duplicate delivery, is not among them).
   */
  private claimToken(): string {
    return `${this.workerId}/${(++this.claims).toString(36)}`;
  }

  @JobHandler('publication.publish')
  async handlePublish({ targetId }: JobPayloads['publication.publish']): Promise<void> {
    await this.publishMany([targetId]);
  }

  /**
   * A round of a fan-out (up to ROUND_SIZE targets of one rank, see Dispatcher): one claim, one read
   * of the targets, their accounts and attempt counts, one lease for them all, then the platform
   * calls side by side. Each target keeps its own attempt rows, checkpoints and settle, exactly as
   * a single publish does; only the database round trips before the calls are shared.
   */
  @JobHandler('publication.publish-batch')
  async handlePublishBatch({ targetIds }: JobPayloads['publication.publish-batch']): Promise<void> {
    await this.publishMany(targetIds);
  }

  private async publishMany(targetIds: string[]): Promise<void> {
    const token = this.claimToken();
    const claimed = await this.claim(targetIds, ['queued', 'retry_wait', 'pending'], 'publishing', token, { dueBy: this.clock.now() });
    if (!claimed) return;
    const rows = await this.loadClaimed(token, targetIds);
    const later: PollLater[] = [];
    await this.holding(
      rows.map((r) => r.target.id),
      token,
      () => Promise.all(rows.map((r) => this.inFlight.run(r.target.priority, () => this.publishClaimed(r, later)))),
    );
    // Posts the platforms are still processing: their status checks go out as one job.
    await this.dispatchPollsLater(later);
  }

  /** The rows a claim took, with their accounts, attempts so far and credentials: four statements for any number. */
  private async loadClaimed(token: string, ids: string[]): Promise<Claimed[]> {
    const targets = await this.ds.getRepository(PublicationTarget).find({ where: { id: In(ids), claimedBy: token } });
    if (!targets.length) return [];
    const [accounts, counts, credentials] = await Promise.all([
      this.ds.getRepository(Account).find({
        where: { id: In([...new Set(targets.map((t) => t.accountId))]) },
        select: {
          id: true,
          name: true,
          status: true,
          connection: true,
          platform: true,
          platformAccountId: true,
          endpoints: true,
          sandbox: true,
          settings: true,
        },
      }),
      this.ds
        .getRepository(PublicationAttempt)
        .createQueryBuilder('a')
        .select('a.targetId', 'targetId')
        .addSelect('COUNT(1)', 'n')
        .addSelect("SUM(CASE WHEN a.kind = 'poll' THEN 1 ELSE 0 END)", 'polls')
        .where({ targetId: In(targets.map((t) => t.id)) })
        .groupBy('a.targetId')
        .getRawMany<{ targetId: string; n: number | string; polls: number | string | null }>(),
      // Only a saving: when the vault cannot open one of them, every publish opens its own (and
      // the one that cannot fails on its own).
      this.host.openCredentials([...new Set(targets.map((t) => t.accountId))]).catch(() => new Map<string, OpenedCredentials>()),
    ]);
    const accountById = new Map(accounts.map((a) => [a.id, a as AccountRow]));
    const countOf = new Map(counts.map((c) => [c.targetId, c]));
    return targets.map((target) => ({
      target,
      account: accountById.get(target.accountId) ?? null,
      attemptsSoFar: Number(countOf.get(target.id)?.n ?? 0),
      pollsSoFar: Number(countOf.get(target.id)?.polls ?? 0),
      credentials: credentials.get(target.accountId),
    }));
  }

  private async publishClaimed({ target, account: accountRow, attemptsSoFar, credentials }: Claimed, later: PollLater[]): Promise<void> {
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
          if (!(await this.checkpointWriter.save(target.id, held(target), state))) throw new Error('claim lost');
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
            await this.settleThen(
              target,
              {
                state: 'retry_wait',
                nextAttemptAt: next,
                lastErrorKind: err.kind,
                lastError: `核实上次发布结果时平台暂时无响应，将于 ${formatLocalTime(next)} 再次核实：${publicReason(err)}`,
              },
              'publication.publish',
              next,
            );
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
          await this.applyOutcome(
            target,
            { state: found.status === 'processing' ? 'processing' : 'published', result: found, attempts: target.attempts },
            later,
          );
          return;
        }
        await this.ds.getRepository(PublicationTarget).update({ id: target.id, claimedBy: held(target) }, { mustCheckExisting: false });
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
        { assets: this.assetsFor(unitId), videos: this.videosFor(unitId), account: accountRow ?? undefined, credentials },
      );
      await this.finishAttempt(attempt, outcome.state, outcome.error?.message ?? null);
      await this.applyOutcome(target, outcome, later);
    } catch (e) {
      // An error of ours (database, claim lost): leave the row for the reconciler to re-examine.
      this.logger.error(`publish of target ${target.id} stopped: ${e instanceof Error ? e.message : String(e)}`);
      await this.ds.getRepository(PublicationTarget).update(
        { id: target.id, claimedBy: held(target) },
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
    await this.pollMany([targetId]);
  }

  /** The status checks of a round's targets still processing on their platforms (Dispatcher.dispatchPolls). */
  @JobHandler('publication.poll-batch')
  async handlePollBatch({ targetIds }: JobPayloads['publication.poll-batch']): Promise<void> {
    await this.pollMany(targetIds);
  }

  /**
   * Asks the platforms where posts they were still processing stand: one claim and the same four
   * reads as a publish round for the lot, then one status call and one attempt row per target.
   * Those still processing are checked again later, together.
   */
  private async pollMany(targetIds: string[]): Promise<void> {
    const token = this.claimToken();
    const claimed = await this.claim(targetIds, ['publishing'], 'publishing', token, { dueBy: this.clock.now(), requireRemote: true });
    if (!claimed) return;
    const rows = await this.loadClaimed(token, targetIds);
    const later: PollLater[] = [];
    await this.holding(
      rows.map((r) => r.target.id),
      token,
      () =>
        Promise.all(
          rows.map((r) =>
            this.inFlight.run(r.target.priority, () =>
              this.pollClaimed(r, later).catch((e: unknown) => {
                // An error of ours (database): the claim lapses and the reconciler hands the row on.
                this.logger.error(`status check of target ${r.target.id} stopped: ${e instanceof Error ? e.message : String(e)}`);
              }),
            ),
          ),
        ),
    );
    await this.dispatchPollsLater(later);
  }

  private async pollClaimed({ target, account, attemptsSoFar, pollsSoFar, credentials }: Claimed, later: PollLater[]): Promise<void> {
    const startedAt = this.clock.now();
    // A status check only reads: its attempt row is written with its answer, in one statement.
    const record = (outcome: string, error: string | null) =>
      this.recordAttempt(target, 'poll', attemptsSoFar + 1, startedAt, outcome, error);
    let status: Awaited<ReturnType<PluginHost['publishStatus']>>;
    try {
      status = await this.host.publishStatus(target.accountId, target.remoteId!, { account: account ?? undefined, credentials });
    } catch (e) {
      const err = PluginCallError.from(e, []);
      await record('error', err.message);
      const next = new Date(startedAt.getTime() + (err.retryAfterMs ?? 10_000));
      await this.settle(target, { state: 'publishing', nextAttemptAt: next, lastError: `查询发布状态失败，将重试：${publicReason(err)}` });
      later.push({ target, at: next });
      return;
    }
    await record(status.status, status.reason ?? null);
    if (status.status === 'published') {
      // Written before the settle, as for a publish (a reader that sees it published sees the account active).
      await this.touchAccount(target.accountId);
      await this.settle(target, {
        state: 'published',
        url: status.url ?? target.url,
        publishedAt: this.clock.now(),
        lastError: null,
        lastErrorKind: null,
      });
    } else if (status.status === 'processing') {
      const age = startedAt.getTime() - target.createdAt.getTime();
      if (age > POLL_GIVE_UP_MS) {
        await this.settle(target, {
          state: 'unconfirmed',
          lastError: '平台长时间未给出发布结果，请到平台核实 / the platform never finished processing',
        });
        return;
      }
      // Back off by the polls made so far, not by every attempt of the target: retries of the
      // publish itself (faults) must not push the first status checks minutes apart.
      const wait = Math.min(POLL_MAX_MS, POLL_FIRST_MS * 2 ** Math.min(10, pollsSoFar));
      const next = new Date(startedAt.getTime() + wait);
      await this.settle(target, { state: 'publishing', nextAttemptAt: next });
      later.push({ target, at: next });
    } else {
      // The platform review's verdict, bounded plain text (see publicReason).
      const reason = clipPlatformText(status.reason ?? status.status, 120);
      await this.settle(target, {
        state: 'failed',
        lastErrorKind: status.status === 'rejected' ? 'rejected_by_review' : status.status,
        lastError: status.status === 'rejected' ? `平台审核未通过：${reason}` : `平台发布失败：${reason}`,
      });
    }
  }

  /** Puts the status checks collected in a round on the queue; a failed enqueue is the reconciler's to redo. */
  private async dispatchPollsLater(later: PollLater[]): Promise<void> {
    if (!later.length) return;
    await this.dispatcher.dispatchPolls(later).catch((e: unknown) => {
      this.logger.warn(`enqueue of ${later.length} status checks failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  @JobHandler('publication.retract')
  async handleRetract({ targetId }: JobPayloads['publication.retract']): Promise<void> {
    const now = this.clock.now();
    const token = this.claimToken();
    const claimed = await this.claim([targetId], ['retracting'], 'retracting', token, { dueBy: now });
    if (!claimed) return;
    const target = await this.ds.getRepository(PublicationTarget).findOneByOrFail({ id: targetId, claimedBy: token });
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
        await this.settleThen(
          target,
          {
            state: 'retracting',
            attempts: target.attempts + 1,
            nextAttemptAt: next,
            lastError: `撤回失败，将重试：${publicReason(err)}`,
          },
          'publication.retract',
          // When it is due (an immediate job would find the row not due yet and leave it to the reconciler).
          next,
        );
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
    const token = this.claimToken();
    const claimed = await this.claim([targetId], ['editing'], 'editing', token, { dueBy: now, requireRemote: true });
    if (!claimed) return;
    await this.holding([targetId], token, () => this.editClaimed(targetId, token));
  }

  private async editClaimed(targetId: string, token: string): Promise<void> {
    const target = await this.ds.getRepository(PublicationTarget).findOneByOrFail({ id: targetId, claimedBy: token });
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
        await this.settleThen(
          target,
          {
            state: 'publishing',
            attempts: target.attempts + 1,
            remoteId: result.remoteId || target.remoteId,
            url: result.url ?? target.url,
            nextAttemptAt: next,
            lastError: null,
          },
          'publication.poll',
          next,
        );
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
        await this.settleThen(
          target,
          {
            state: 'editing',
            attempts: target.attempts + 1,
            nextAttemptAt: next,
            lastErrorKind: err.kind,
            lastError: `更正（修改原稿）暂时失败，将于 ${formatLocalTime(next)} 重试：${publicReason(err)}`,
          },
          'publication.edit',
          next,
        );
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

  /** Settles a publish's outcome; a post still processing joins `later`, the round's status checks. */
  private async applyOutcome(target: PublicationTarget, outcome: PublishOutcome, later: PollLater[]): Promise<void> {
    const now = this.clock.now();
    const base = { attempts: outcome.attempts };
    switch (outcome.state) {
      case 'published':
        // The post is out either way: the account's last post time is written before the settle
        // (a reader that sees the target published sees the account active too).
        await this.touchAccount(target.accountId);
        await this.settle(target, {
          ...base,
          state: 'published',
          remoteId: outcome.result!.remoteId,
          url: outcome.result!.url ?? null,
          publishedAt: now,
          lastError: null,
          lastErrorKind: null,
          checkpoint: null,
        });
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
        later.push({ target, at: next });
        return;
      }
      case 'retry_wait': {
        const next = outcome.retryAt ?? new Date(now.getTime() + 5000);
        await this.settleThen(
          target,
          {
            ...base,
            state: 'retry_wait',
            nextAttemptAt: next,
            // The post may exist (an ambiguous call whose check could not be made): ask first next time.
            ...(outcome.mustCheckExisting ? { mustCheckExisting: true } : {}),
            lastErrorKind: outcome.error?.kind ?? null,
            lastError: `暂时失败，将于 ${formatLocalTime(next)} 重试：${publicReason(outcome.error)}`,
          },
          'publication.publish',
          next,
        );
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
  private async holding<T>(targetIds: string[], token: string, fn: () => Promise<T>): Promise<T> {
    const renew = () =>
      this.ds
        .getRepository(PublicationTarget)
        .update({ id: In(targetIds), claimedBy: token }, { claimedUntil: new Date(this.clock.now().getTime() + this.leaseMs()) })
        .catch((e: unknown) => this.logger.warn(`lease renewal of claim ${token} failed: ${e instanceof Error ? e.message : String(e)}`));
    const timer = setInterval(() => void renew(), Math.max(500, Math.floor(this.leaseMs() / 3)));
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * Claims targets for this worker under `token`: one conditional UPDATE, so two deliveries of the
   * same job (or a job and the reconciler) cannot both proceed. Returns how many rows it took: none
   * when another holds them, they are done, or not due yet.
   */
  private async claim(
    ids: string[],
    from: TargetState[],
    to: TargetState,
    token: string,
    opts: { dueBy: Date; requireRemote?: boolean },
  ): Promise<number> {
    if (!ids.length) return 0;
    const qb = this.ds
      .createQueryBuilder()
      .update(PublicationTarget)
      .set({ state: to, claimedBy: token, claimedUntil: new Date(opts.dueBy.getTime() + this.leaseMs()) })
      .where({ id: In(ids), state: In(from) })
      .andWhere('claimedBy IS NULL')
      .andWhere('(nextAttemptAt IS NULL OR nextAttemptAt <= :due)', { due: new Date(opts.dueBy.getTime() + 1000) });
    if (opts.requireRemote) qb.andWhere('remoteId IS NOT NULL');
    const res = await qb.execute();
    return res.affected ?? 0;
  }

  /** Writes the outcome and releases the claim, only if this worker still holds it. */
  private async settle(target: PublicationTarget, patch: Partial<PublicationTarget>): Promise<void> {
    const res = await this.ds
      .getRepository(PublicationTarget)
      .update({ id: target.id, claimedBy: held(target) }, { ...patch, claimedBy: null, claimedUntil: null } as never);
    this.publications.scheduleStatusRefresh(target.publicationId);
    // 值班提醒 when a person must act (failed, needs_reauth, unconfirmed); only the claim holder's write counts.
    if (res.affected) await raisePublishFailedAlert(this.ds, this.alerts, target, patch);
  }

  /**
   * Settles and puts the target's next job on the queue (the dispatcher records the dispatch on the
   * row). An enqueue that fails is left to the reconciler, which re-dispatches due rows.
   */
  private async settleThen(
    target: PublicationTarget,
    patch: Partial<PublicationTarget>,
    job: 'publication.publish' | 'publication.poll' | 'publication.edit' | 'publication.retract',
    at: Date | null,
  ): Promise<void> {
    await this.settle(target, patch);
    await this.dispatcher.enqueue(job, target.id, at).catch(() => undefined);
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
    await this.attemptLog.write(attempt);
    return attempt;
  }

  /** An attempt that needs no row before its call (it only reads), written with its outcome. */
  private async recordAttempt(
    target: PublicationTarget,
    kind: string,
    number: number,
    startedAt: Date,
    outcome: string,
    error: string | null,
  ): Promise<void> {
    await this.attemptLog.write({
      id: newId(),
      targetId: target.id,
      number,
      kind,
      idempotencyKey: target.id,
      worker: this.workerId,
      startedAt,
      finishedAt: this.clock.now(),
      outcome,
      error: error?.slice(0, 1000) ?? null,
    });
  }

  private async finishAttempt(attempt: PublicationAttempt, outcome: string, error: string | null): Promise<void> {
    await this.attemptLog.write({ ...attempt, finishedAt: this.clock.now(), outcome, error: error?.slice(0, 1000) ?? null });
  }

  /** Accounts that published within the current TOUCH_WINDOW_MS, written together when it ends. */
  private touches: { ids: Set<string>; written: Promise<void> } | null = null;

  /**
   * Sets the account's last post time (监测: the silent-account clock). The targets of a fan-out
   * finish a few milliseconds apart: the accounts of one short window share one UPDATE. Resolves
   * once the row is written, so a caller that settles afterwards never shows a post whose account
   * still looks silent.
   */
  private touchAccount(accountId: string): Promise<void> {
    if (!this.touches) {
      const ids = new Set<string>();
      const written = new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          this.touches = null;
          this.ds
            .getRepository(Account)
            .update({ id: In([...ids]) }, { lastPostAt: this.clock.now() })
            .then(() => resolve(), reject);
        }, TOUCH_WINDOW_MS);
      });
      this.touches = { ids, written };
    }
    this.touches.ids.add(accountId);
    return this.touches.written;
  }
}

type AccountRow = Pick<
  Account,
  'id' | 'name' | 'status' | 'connection' | 'platform' | 'platformAccountId' | 'endpoints' | 'sandbox' | 'settings'
>;

/** A status check to put on the queue when the claim that decided it is done. */
interface PollLater {
  target: PublicationTarget;
  at: Date;
}

/** A claimed target with what its publish needs, read in one go for a whole claim. */
interface Claimed {
  target: PublicationTarget;
  account: AccountRow | null;
  attemptsSoFar: number;
  /** Of those, status checks (the poll backoff counts these). */
  pollsSoFar: number;
  /** Opened with the claim's other reads; the host uses them for the first try of the publish. */
  credentials: OpenedCredentials | undefined;
}

/**
 * The claim token the row was read under: every write of the holder is conditional on it. A row
 * read without a claim has none, and a write conditional on this never matches.
 */
function held(target: PublicationTarget): string {
  return target.claimedBy ?? '\u0000unclaimed';
}

function notOwned(ref: string): PluginCallError {
  return new PluginCallError('permanent', `稿件引用的文件不属于本单位，已停止发布 / media ${ref} is not the publishing unit's`, {
    byHost: true,
  });
}
