import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThanOrEqual } from 'typeorm';
import { AppConfig, Clock, newId, WorkingHours } from '@tongfa/core';
import { ComplianceService } from '@tongfa/compliance';
import { pathInScope } from '@tongfa/database';
import { Actor, Permission } from '@tongfa/identity';
import { JobHandler, JobQueue } from '@tongfa/jobs';
import { InboxItem, InboxReply, InboxThread } from './entities';
import { InboxError, InboxException } from './inbox.exception';
import { InboxSettingsService } from './inbox-settings.service';
import { answeredPatch } from './ingest.service';
import { InboxPlatformPort } from './platform-port';
import { afterFailure, deliverOnce, DeliveryProgress } from './reply-delivery';

const BATCH = 200;
/** Replies the sweep sends at once (each mostly waits on a platform's answer). */
const SWEEP_LANES = 8;

export interface ReplyView {
  id: string;
  threadId: string;
  state: InboxReply['state'];
  text: string;
  attempts: number;
  remoteId: string | null;
  lastError: string | null;
  findings: InboxReply['findings'];
  createdBy: string;
  createdAt: Date;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  sentAt: Date | null;
}

export function replyView(r: InboxReply): ReplyView {
  return {
    id: r.id,
    threadId: r.threadId,
    state: r.state,
    text: r.text,
    attempts: r.attempts,
    remoteId: r.remoteId,
    lastError: r.lastError,
    findings: r.findings,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    reviewedBy: r.reviewedBy,
    reviewedAt: r.reviewedAt,
    sentAt: r.sentAt,
  };
}

/** The thread has our answer: its first-response clock stops (once; a later reply changes nothing). */
async function markAnswered(m: EntityManager, threadId: string, now: Date, hours: WorkingHours): Promise<void> {
  const fresh = await m.findOneByOrFail(InboxThread, { id: threadId });
  if (fresh.state === 'new' || fresh.state === 'assigned') {
    await m.update(InboxThread, { id: threadId }, { ...answeredPatch(fresh, now, hours), updatedAt: now });
  }
}

/**
 * Replies to citizens. A reply is checked by the compliance engine when written (a blocking
 * finding stores it as `blocked`: it is never sent), may wait for the unit's one review step, and
 * is sent by the worker from its outbox row, exactly once: the row is claimed by a conditional
 * update, and a row claimed before (state `sending`, a call that may have reached the platform)
 * is looked up with findReply/findMessage before any second call.
 */
@Injectable()
export class RepliesService {
  private readonly logger = new Logger('InboxReplies');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly compliance: ComplianceService,
    private readonly settings: InboxSettingsService,
    private readonly port: InboxPlatformPort,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
  ) {}

  private leaseMs(): number {
    return this.config.env.TONGFA_INBOX_REPLY_LEASE_SECONDS * 1000;
  }

  async create(actor: Actor, threadId: string, input: { text: string; idempotencyKey?: string }): Promise<ReplyView> {
    const t = await this.ds.getRepository(InboxThread).findOneBy({ id: threadId });
    if (!t || !pathInScope(t.unitPath, actor.scope(Permission.InboxRead))) throw new InboxException(InboxError.ThreadNotFound);
    if (!pathInScope(t.unitPath, actor.scope(Permission.InboxWork))) throw new InboxException(InboxError.ThreadNotFound);
    if (input.idempotencyKey) {
      const again = await this.ds.getRepository(InboxReply).findOneBy({ idempotencyKey: input.idempotencyKey });
      if (again && again.threadId === t.id) return replyView(again);
    }
    const now = this.clock.now();
    if (t.state === 'closed') throw new InboxException(InboxError.Closed);
    if (t.replyDeadlineAt && t.replyDeadlineAt.getTime() <= now.getTime()) throw new InboxException(InboxError.ReplyWindowClosed);
    const limits = this.port.interaction(t.platform);
    const maxChars = t.kind === 'message' ? limits?.messages?.replyMaxChars : limits?.comments?.replyMaxChars;
    if (maxChars && [...input.text].length > maxChars) {
      throw new InboxException(InboxError.ReplyTooLong, {}, [
        { field: 'text', message: `回复最多 ${maxChars} 字 / at most ${maxChars} characters` },
      ]);
    }
    const check = await this.compliance.check({ summary: input.text });
    const s = await this.settings.forUnit(t.unitId);
    const state: InboxReply['state'] = !check.ok ? 'blocked' : s.reviewReplies ? 'review' : 'pending';
    const inReplyTo = t.kind === 'comment' ? await this.lastIncoming(t) : null;
    const row: InboxReply = {
      id: newId(),
      threadId: t.id,
      accountId: t.accountId,
      unitId: t.unitId,
      unitPath: t.unitPath,
      inReplyTo,
      text: input.text,
      state,
      idempotencyKey: input.idempotencyKey ?? newId(),
      attempts: 0,
      nextAttemptAt: state === 'pending' ? now : null,
      remoteId: null,
      lastError: null,
      findings: [...check.blocking, ...check.warnings].map((f) => ({
        rule: f.rule,
        severity: f.severity,
        message: f.message.zh,
        excerpt: f.text,
      })),
      createdBy: actor.userId,
      createdAt: now,
      reviewedBy: null,
      reviewedAt: null,
      sentAt: null,
    };
    await this.ds.getRepository(InboxReply).insert(row);
    if (state === 'pending') await this.hint(row.id);
    return replyView(row);
  }

  /** The unit's one review step: approve sends it, reject ends it. */
  async review(actor: Actor, replyId: string, decision: 'approve' | 'reject'): Promise<ReplyView> {
    const r = await this.ds.getRepository(InboxReply).findOneBy({ id: replyId });
    if (!r || !pathInScope(r.unitPath, actor.scope(Permission.InboxReview))) throw new InboxException(InboxError.ReplyNotFound);
    if (r.createdBy === actor.userId) throw new InboxException(InboxError.OwnReply);
    const now = this.clock.now();
    const next = decision === 'approve' ? 'pending' : 'rejected';
    const moved = await this.ds
      .getRepository(InboxReply)
      .update(
        { id: r.id, state: 'review' },
        { state: next, reviewedBy: actor.userId, reviewedAt: now, nextAttemptAt: next === 'pending' ? now : null },
      );
    if (!moved.affected) throw new InboxException(InboxError.NotReviewable);
    if (next === 'pending') await this.hint(r.id);
    return replyView(await this.ds.getRepository(InboxReply).findOneByOrFail({ id: r.id }));
  }

  /**
   * A person's answer for an `unconfirmed` reply, after checking the platform: it arrived (the reply
   * counts as sent and the thread as answered) or it did not (the outbox sends it again, with all
   * its attempts). The hub cannot tell the two apart (no lookup on the platform), so only someone
   * who may work the thread's unit decides, once: the change is conditional on the row still being
   * `unconfirmed`, so two people answering at once cannot both resend it.
   */
  async settleUnconfirmed(actor: Actor, replyId: string, outcome: 'arrived' | 'resend'): Promise<ReplyView> {
    const repo = this.ds.getRepository(InboxReply);
    const r = await repo.findOneBy({ id: replyId });
    if (!r || !pathInScope(r.unitPath, actor.scope(Permission.InboxWork))) throw new InboxException(InboxError.ReplyNotFound);
    if (r.state !== 'unconfirmed') throw new InboxException(InboxError.NotUnconfirmed);
    const t = await this.ds.getRepository(InboxThread).findOneByOrFail({ id: r.threadId });
    const now = this.clock.now();
    if (outcome === 'resend') {
      if (t.replyDeadlineAt && t.replyDeadlineAt.getTime() <= now.getTime()) throw new InboxException(InboxError.ReplyWindowClosed);
      const moved = await repo.update(
        { id: r.id, state: 'unconfirmed' },
        { state: 'pending', attempts: 0, nextAttemptAt: now, lastError: null },
      );
      if (!moved.affected) throw new InboxException(InboxError.NotUnconfirmed);
      await this.hint(r.id);
    } else {
      const s = await this.settings.forUnit(t.unitId);
      await this.ds.transaction(async (m) => {
        const moved = await m.update(
          InboxReply,
          { id: r.id, state: 'unconfirmed' },
          { state: 'sent', sentAt: now, nextAttemptAt: null, lastError: null },
        );
        if (!moved.affected) throw new InboxException(InboxError.NotUnconfirmed);
        await markAnswered(m, t.id, now, s.workingHours);
      });
    }
    return replyView(await repo.findOneByOrFail({ id: r.id }));
  }

  async listForThread(threadId: string): Promise<ReplyView[]> {
    const rows = await this.ds.getRepository(InboxReply).find({ where: { threadId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(replyView);
  }

  private async lastIncoming(t: InboxThread): Promise<string | null> {
    const item = await this.ds.getRepository(InboxItem).findOne({
      where: { threadId: t.id, direction: 'in' },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return item?.platformItemId ?? t.rootCommentId;
  }

  /** A hint to send (now, or at the next attempt's due time); the row stays the truth. */
  private async hint(replyId: string, retry?: { attempt: number; at: Date }): Promise<void> {
    try {
      const delayMs = retry ? Math.max(0, retry.at.getTime() - this.clock.now().getTime()) : undefined;
      // One job id per attempt: a retry's hint must not be swallowed as a duplicate of the first one.
      const jobId = retry ? `inbox-reply-${replyId}-${retry.attempt}` : `inbox-reply-${replyId}`;
      await this.queue.add('inbox.reply-send', { replyId }, { jobId, ...(delayMs !== undefined ? { delayMs } : {}) });
    } catch (e) {
      // The row is the truth: the sweep sends it if the hint is lost.
      this.logger.warn(`could not enqueue reply ${replyId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  @JobHandler('inbox.reply-sweep')
  async handleReplySweep(): Promise<{ sent: number }> {
    const due = await this.ds.getRepository(InboxReply).find({
      where: { state: In(['pending', 'sending']), nextAttemptAt: LessThanOrEqual(this.clock.now()) },
      order: { nextAttemptAt: 'ASC' },
      take: BATCH,
      select: { id: true },
    });
    // Several at once: after the queue lost its hints (Redis restarted empty) the sweep is the only
    // sender, and one slow platform answer must not hold up the rest. Safe because send() claims
    // each row with a conditional update: a row another sender holds is skipped.
    let sent = 0;
    let next = 0;
    const lane = async () => {
      while (next < due.length) {
        const r = due[next++]!;
        if ((await this.send(r.id)) === 'sent') sent++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(SWEEP_LANES, due.length) }, lane));
    return { sent };
  }

  @JobHandler('inbox.reply-send')
  async handleReplySend(payload: { replyId: string }): Promise<{ state: string }> {
    return { state: await this.send(payload.replyId) };
  }

  /**
   * One attempt at a due reply. The claim counts the attempt and holds the row for a lease in one
   * conditional update, so a second worker (or the sweep) finds nothing due; the lease is renewed
   * while the platform call runs, however slow, so a live worker never loses its row mid-call. A
   * crash mid-call leaves a `sending` row whose lease runs out: the next attempt asks the platform
   * before sending. Every later write is conditional on this attempt's claim, so a worker that lost
   * its lease cannot overwrite the next owner's outcome.
   */
  async send(replyId: string): Promise<InboxReply['state'] | 'skipped'> {
    const repo = this.ds.getRepository(InboxReply);
    const r = await repo.findOneBy({ id: replyId });
    const now = this.clock.now();
    if (!r || (r.state !== 'pending' && r.state !== 'sending') || !r.nextAttemptAt || r.nextAttemptAt > now) return 'skipped';
    const attempt = r.attempts + 1;
    const claimed = await repo.update(
      { id: r.id, state: r.state, attempts: r.attempts },
      { state: 'sending', attempts: attempt, nextAttemptAt: new Date(now.getTime() + this.leaseMs()) },
    );
    if (!claimed.affected) return 'skipped';
    const mine = { id: r.id, state: 'sending' as const, attempts: attempt };
    const t = await this.ds.getRepository(InboxThread).findOneByOrFail({ id: r.threadId });
    const to = { kind: t.kind, accountId: t.accountId, conversationId: t.citizenId, postRemoteId: t.postRemoteId, inReplyTo: r.inReplyTo };
    const mayHaveLanded = r.state === 'sending';
    const canLookUp = this.port.canLookUp(t.platform, t.kind);
    if (mayHaveLanded && !canLookUp) {
      // Nobody can tell whether the earlier call landed (WeChat keeps no list of sent 客服消息): a person checks.
      await repo.update(mine, {
        state: 'unconfirmed',
        nextAttemptAt: null,
        lastError: `${t.platform} 无法查证上次发送是否成功，请到平台核实 / the platform cannot tell whether the last send landed`,
      });
      return 'unconfirmed';
    }
    const renew = setInterval(
      () =>
        void repo
          .update(mine, { nextAttemptAt: new Date(this.clock.now().getTime() + this.leaseMs()) })
          .catch((e: unknown) => this.logger.warn(`lease renewal of reply ${r.id} failed: ${e instanceof Error ? e.message : String(e)}`)),
      Math.max(500, Math.floor(this.leaseMs() / 3)),
    );
    const progress: DeliveryProgress = { lookedUp: false };
    try {
      // A row that was `sending` may have reached the platform: deliverOnce asks before calling again.
      const result = await deliverOnce(this.port, to, r, mayHaveLanded, progress);
      clearInterval(renew);
      await this.delivered(t, r, result.id);
      return 'sent';
    } catch (e) {
      clearInterval(renew);
      const next = afterFailure(e, attempt, this.clock.now().getTime(), {
        mayHaveLanded,
        progress,
        canLookUp,
        retryBaseMs: this.config.env.TONGFA_INBOX_REPLY_RETRY_SECONDS * 1000,
      });
      const moved = await repo.update(mine, next);
      if (!moved.affected) return 'skipped';
      if (next.nextAttemptAt) await this.hint(r.id, { attempt, at: next.nextAttemptAt });
      return next.state;
    } finally {
      clearInterval(renew);
    }
  }

  /** Sent: the row, our own item in the thread (so polling sees it as a duplicate), the thread's clock. */
  private async delivered(t: InboxThread, r: InboxReply, remoteId: string): Promise<void> {
    const now = this.clock.now();
    const s = await this.settings.forUnit(t.unitId);
    await this.ds.transaction(async (m) => {
      // Any attempt that saw the reply on the platform may record it (a later owner would find the same one).
      await m.update(
        InboxReply,
        { id: r.id, state: In(['sending', 'unconfirmed']) },
        { state: 'sent', remoteId, sentAt: now, nextAttemptAt: null, lastError: null },
      );
      if (!(await m.exists(InboxItem, { where: { accountId: t.accountId, platformItemId: remoteId } }))) {
        await m.insert(InboxItem, {
          id: newId(),
          threadId: t.id,
          accountId: t.accountId,
          platformItemId: remoteId,
          direction: 'out',
          kind: 'text',
          parentId: r.inReplyTo,
          author: r.createdBy,
          authorId: null,
          text: r.text,
          createdAt: now,
          receivedAt: now,
        });
      }
      await markAnswered(m, t.id, now, s.workingHours);
    });
  }
}
