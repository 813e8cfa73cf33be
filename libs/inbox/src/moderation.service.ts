import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { pathInScope } from '@tongfa/database';
import { Actor, Permission, Role } from '@tongfa/identity';
import { JobHandler, JobQueue } from '@tongfa/jobs';
import { InboxItem, InboxModeration, InboxThread, ModerationAction } from './entities';
import { InboxError, InboxException } from './inbox.exception';
import { InboxPlatformPort } from './platform-port';
import { afterFailure, replyBackoff } from './reply-delivery';

const BATCH = 200;

export interface ModerationView {
  id: string;
  threadId: string;
  commentId: string;
  action: ModerationAction;
  reason: string;
  state: InboxModeration['state'];
  attempts: number;
  lastError: string | null;
  createdBy: string;
  createdAt: Date;
  doneAt: Date | null;
}

export function moderationView(r: InboxModeration): ModerationView {
  return {
    id: r.id,
    threadId: r.threadId,
    commentId: r.commentId,
    action: r.action,
    reason: r.reason,
    state: r.state,
    attempts: r.attempts,
    lastError: r.lastError,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    doneAt: r.doneAt,
  };
}

/** Roles that may hide or delete a citizen's comment: held at the thread's own unit, not above it. */
const MODERATORS: readonly Role[] = [Role.Editor, Role.UnitAdmin];

/**
 * Hiding or deleting a citizen's comment (the platform's moderation, where its API allows it). Only
 * an editor or admin of the thread's own unit may ask: a supervisor or admin higher up reads the
 * thread but does not remove what a citizen wrote to another unit's account, and anyone outside the
 * subtree does not see the thread at all. A reason is required; the row is the outbox the worker
 * sends from, once per comment and action.
 */
@Injectable()
export class ModerationService {
  private readonly logger = new Logger('InboxModeration');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly port: InboxPlatformPort,
    private readonly queue: JobQueue,
  ) {}

  async request(
    actor: Actor,
    threadId: string,
    input: { action: ModerationAction; reason: string; commentId?: string },
  ): Promise<{ view: ModerationView; thread: InboxThread; created: boolean }> {
    const t = await this.ds.getRepository(InboxThread).findOneBy({ id: threadId });
    if (!t || !pathInScope(t.unitPath, actor.scope(Permission.InboxRead))) throw new InboxException(InboxError.ThreadNotFound);
    if (!actor.grants.some((g) => g.unitId === t.unitId && MODERATORS.includes(g.role))) {
      throw new InboxException(InboxError.ModerationForbidden);
    }
    if (t.kind !== 'comment' || !t.postRemoteId) throw new InboxException(InboxError.NotAComment);
    const rules = this.port.interaction(t.platform)?.comments;
    if (!(input.action === 'hide' ? rules?.canHide : rules?.canDelete)) {
      throw new InboxException(InboxError.ModerationUnsupported, {}, [
        {
          field: 'action',
          message:
            input.action === 'hide'
              ? `${t.platform} 平台未提供隐藏评论的接口，请在平台客户端处理 / the platform offers no API to hide a comment`
              : `${t.platform} 平台未提供删除评论的接口，请在平台客户端处理 / the platform offers no API to delete a comment`,
        },
      ]);
    }
    const commentId = input.commentId ?? t.rootCommentId;
    // Only a citizen's comment of this very thread: never the account's own reply, never another thread's.
    const item = commentId
      ? await this.ds.getRepository(InboxItem).findOneBy({ threadId: t.id, platformItemId: commentId, direction: 'in' })
      : null;
    if (!item) {
      throw new InboxException(InboxError.CommentNotInThread, {}, [
        { field: 'commentId', message: '评论须为本会话中群众的评论 / a citizen’s comment of this thread' },
      ]);
    }
    const repo = this.ds.getRepository(InboxModeration);
    const key = { accountId: t.accountId, commentId: item.platformItemId, action: input.action };
    const existing = await repo.findOneBy(key);
    if (existing) return { view: moderationView(existing), thread: t, created: false };
    const now = this.clock.now();
    const row: InboxModeration = {
      id: newId(),
      threadId: t.id,
      accountId: t.accountId,
      unitId: t.unitId,
      unitPath: t.unitPath,
      postRemoteId: t.postRemoteId,
      commentId: item.platformItemId,
      action: input.action,
      reason: input.reason,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      createdBy: actor.userId,
      createdAt: now,
      doneAt: null,
    };
    try {
      await repo.insert(row);
    } catch (e) {
      // The unique (account, comment, action) key: a concurrent request made the same decision first.
      const first = await repo.findOneBy(key);
      if (first) return { view: moderationView(first), thread: t, created: false };
      throw e;
    }
    await this.hint(row.id);
    return { view: moderationView(row), thread: t, created: true };
  }

  async listForThread(threadId: string): Promise<ModerationView[]> {
    const rows = await this.ds.getRepository(InboxModeration).find({ where: { threadId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(moderationView);
  }

  private async hint(id: string): Promise<void> {
    try {
      await this.queue.add('inbox.moderation-send', { moderationId: id }, { jobId: `inbox-moderation-${id}` });
    } catch (e) {
      // The row is the truth: the sweep sends it if the hint is lost.
      this.logger.warn(`could not enqueue moderation ${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  @JobHandler('inbox.moderation-sweep')
  async handleModerationSweep(): Promise<{ done: number }> {
    const due = await this.ds.getRepository(InboxModeration).find({
      where: { state: In(['pending', 'sending']), nextAttemptAt: LessThanOrEqual(this.clock.now()) },
      order: { nextAttemptAt: 'ASC' },
      take: BATCH,
      select: { id: true },
    });
    let done = 0;
    for (const r of due) if ((await this.send(r.id)) === 'done') done++;
    return { done };
  }

  @JobHandler('inbox.moderation-send')
  async handleModerationSend(payload: { moderationId: string }): Promise<{ state: string }> {
    return { state: await this.send(payload.moderationId) };
  }

  /**
   * One attempt. The claim (a conditional update on state and attempts that also moves the due time
   * on) lets one worker call at a time; hiding and deleting are idempotent on the platform (the SDK
   * requires deleting a deleted comment to succeed), so a row left `sending` by a lost answer or a
   * crash is simply called again.
   */
  async send(id: string): Promise<InboxModeration['state'] | 'skipped'> {
    const repo = this.ds.getRepository(InboxModeration);
    const r = await repo.findOneBy({ id });
    const now = this.clock.now();
    if (!r || (r.state !== 'pending' && r.state !== 'sending') || !r.nextAttemptAt || r.nextAttemptAt > now) return 'skipped';
    const attempt = r.attempts + 1;
    const claimed = await repo.update(
      { id: r.id, state: r.state, attempts: r.attempts },
      { state: 'sending', attempts: attempt, nextAttemptAt: new Date(now.getTime() + replyBackoff(attempt)) },
    );
    if (!claimed.affected) return 'skipped';
    try {
      await this.port.moderateComment(r.accountId, r.postRemoteId, r.commentId, r.action);
      await repo.update({ id: r.id }, { state: 'done', doneAt: this.clock.now(), nextAttemptAt: null, lastError: null });
      return 'done';
    } catch (e) {
      const next = afterFailure(e, attempt, now.getTime());
      const state = next.state === 'failed' ? 'failed' : next.state === 'sending' ? 'sending' : 'pending';
      await repo.update({ id: r.id }, { state, nextAttemptAt: next.nextAttemptAt, lastError: next.lastError });
      return state;
    }
  }
}
