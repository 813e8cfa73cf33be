import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThanOrEqual } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { NotificationKind, NotificationsService, stillInScope } from '@tongfa/notifications';
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
    private readonly alerts: AlertsService,
    private readonly notifications: NotificationsService,
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
      if (state !== 'failed') {
        await repo.update({ id: r.id }, { state, nextAttemptAt: next.nextAttemptAt, lastError: next.lastError });
        return state;
      }
      // The end of the road: the comment is still up, so people must act in the platform's own app. The
      // state change and the alert commit together and the update is conditional on this attempt, so a
      // failure is told once.
      await this.ds.transaction(async (m) => {
        const ended = await m.update(
          InboxModeration,
          { id: r.id, state: 'sending', attempts: attempt },
          { state, nextAttemptAt: null, lastError: next.lastError },
        );
        if (ended.affected) await this.tellFailure(m, r, next.lastError);
      });
      return state;
    }
  }

  /** A final failure goes to the thread's assignee (a notification) and the unit's duty officer (an alert). */
  private async tellFailure(m: EntityManager, r: InboxModeration, error: string | null): Promise<void> {
    const t = await m.findOneBy(InboxThread, { id: r.threadId });
    const verb = r.action === 'hide' ? { zh: '隐藏', en: 'hide' } : { zh: '删除', en: 'delete' };
    const why = clipError(error);
    const title = {
      zh: `${verb.zh}评论失败，评论仍在平台上：${t?.citizenName ?? r.commentId}`,
      en: `Could not ${verb.en} a comment; it is still up: ${t?.citizenName ?? r.commentId}`,
    };
    const body = {
      zh: `${t?.platform ?? ''} 账号评论“${t?.preview ?? ''}”${verb.zh}失败（${why}），请在平台客户端处理。`,
      en: `The comment "${t?.preview ?? ''}" on ${t?.platform ?? ''} could not be ${verb.en === 'hide' ? 'hidden' : 'deleted'} (${why}); handle it in the platform's app.`,
    };
    const link = { type: 'inbox_thread', id: r.threadId };
    await this.alerts.raise(
      {
        kind: DutyAlertKind.InboxModerationFailed,
        severity: DutyAlertSeverity.Warning,
        unitId: r.unitId,
        unitPath: r.unitPath,
        title,
        message: body,
        link,
        dedupeKey: `inbox_moderation_failed:${r.id}`,
      },
      m,
    );
    const users = t?.assigneeId ? await stillInScope(m, r.unitPath, [t.assigneeId]) : [];
    if (users.length) {
      await this.notifications.notify(
        {
          kind: NotificationKind.InboxTask,
          unitId: r.unitId,
          unitPath: r.unitPath,
          title,
          body,
          link,
          key: `inbox_moderation_failed:${r.id}`,
        },
        users,
        m,
      );
    }
  }
}

function clipError(e: string | null): string {
  if (!e) return 'unknown';
  return e.length > 200 ? `${e.slice(0, 199)}…` : e;
}
