import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Account } from '@tongfa/accounts';
import { Manuscript } from '@tongfa/manuscripts';
import { Publication, PublicationTarget } from '@tongfa/publishing';
import { Clock, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, orderList, pathInScope, whereInScope } from '@tongfa/database';
import { Actor, Permission, Unit, User } from '@tongfa/identity';
import { NotificationKind, NotificationsService } from '@tongfa/notifications';
import { InboxItem, InboxModeration, InboxNote, InboxThread, ThreadKind, ThreadState } from './entities';
import { moderationView, ModerationView } from './moderation.service';
import { InboxError, InboxException } from './inbox.exception';
import { RepliesService, ReplyView } from './replies.service';
import { unitStaff } from './unit-staff';

export interface ThreadListQuery extends PageQuery {
  unitId?: string;
  platform?: string;
  state?: ThreadState;
  kind?: ThreadKind;
  /** `overdue`: past the first-response deadline unanswered; `today`: due before the next Beijing midnight. */
  due?: 'overdue' | 'today';
  assignee?: 'me';
}

export interface ThreadView {
  id: string;
  accountId: string;
  /** The account's registered name, for people who cannot read ids. */
  accountName: string | null;
  platform: string;
  unitId: string;
  kind: ThreadKind;
  postRemoteId: string | null;
  rootCommentId: string | null;
  citizenId: string | null;
  citizenName: string;
  state: ThreadState;
  assigneeId: string | null;
  preview: string;
  sensitive: boolean;
  firstIncomingAt: Date;
  lastIncomingAt: Date;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  replyDeadlineAt: Date | null;
  firstRespondedAt: Date | null;
  firstResponseMinutes: number | null;
  respondedInTime: boolean | null;
  closedAt: Date | null;
}

/** The post a comment thread belongs to: title and link when Tongfa published it, else only its platform id. */
export interface ThreadPost {
  remoteId: string;
  title: string | null;
  url: string | null;
  publicationId: string | null;
}

/** Someone the thread may be given to: an active editor or admin of its unit. */
export interface AssigneeView {
  id: string;
  displayName: string;
}

export interface ThreadDetail extends ThreadView {
  /** Who holds the thread, by name, for colleagues who cannot list the unit's people. */
  assigneeName: string | null;
  post: ThreadPost | null;
  items: { id: string; direction: 'in' | 'out'; kind: string; author: string; text: string; parentId: string | null; createdAt: Date }[];
  replies: ReplyView[];
  notes: NoteView[];
  /** Requests to hide or delete a comment of the thread, oldest first. */
  moderations: ModerationView[];
}

export interface NoteView {
  id: string;
  authorId: string;
  authorName: string;
  text: string;
  createdAt: Date;
}

export function threadView(t: InboxThread, accountName: string | null = null): ThreadView {
  return {
    id: t.id,
    accountId: t.accountId,
    accountName,
    platform: t.platform,
    unitId: t.unitId,
    kind: t.kind,
    postRemoteId: t.postRemoteId,
    rootCommentId: t.rootCommentId,
    citizenId: t.citizenId,
    citizenName: t.citizenName,
    state: t.state,
    assigneeId: t.assigneeId,
    preview: t.preview,
    sensitive: t.sensitive,
    firstIncomingAt: t.firstIncomingAt,
    lastIncomingAt: t.lastIncomingAt,
    firstResponseDueAt: t.firstResponseDueAt,
    resolutionDueAt: t.resolutionDueAt,
    replyDeadlineAt: t.replyDeadlineAt,
    firstRespondedAt: t.firstRespondedAt,
    firstResponseMinutes: t.firstResponseMinutes,
    respondedInTime: t.respondedInTime,
    closedAt: t.closedAt,
  };
}

const noteView = (n: InboxNote): NoteView => ({
  id: n.id,
  authorId: n.authorId,
  authorName: n.authorName,
  text: n.text,
  createdAt: n.createdAt,
});

/** The inbox as people use it: lists and threads of the caller's subtree, assignment, notes, closing. */
@Injectable()
export class ThreadsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly replies: RepliesService,
    private readonly notifications: NotificationsService,
  ) {}

  async list(actor: Actor, q: ThreadListQuery): Promise<Page<ThreadView>> {
    const scope = actor.scope(Permission.InboxRead);
    const qb = this.ds.getRepository(InboxThread).createQueryBuilder('t');
    whereInScope(qb, 't.unitPath', scope);
    if (q.unitId) {
      const unit = await this.ds.getRepository(Unit).findOneBy({ id: q.unitId });
      if (!unit || !pathInScope(unit.path, scope)) throw new InboxException(InboxError.UnitNotFound);
      qb.andWhere('t.unitPath LIKE :under', { under: `${unit.path}%` });
    }
    if (q.platform) qb.andWhere('t.platform = :platform', { platform: q.platform });
    if (q.state) qb.andWhere('t.state = :state', { state: q.state });
    if (q.kind) qb.andWhere('t.kind = :kind', { kind: q.kind });
    if (q.assignee === 'me') qb.andWhere('t.assigneeId = :me', { me: actor.userId });
    if (q.due) {
      const now = this.clock.now();
      const until =
        q.due === 'overdue' ? now : new Date(Math.floor((now.getTime() + 8 * 3600_000) / 86_400_000 + 1) * 86_400_000 - 8 * 3600_000);
      qb.andWhere("t.state IN ('new', 'assigned') AND t.firstResponseDueAt <= :until", { until });
    }
    orderList(
      qb,
      q.sort,
      { lastIncomingAt: 't.lastIncomingAt', firstResponseDueAt: 't.firstResponseDueAt' },
      [['t.lastIncomingAt', 'DESC']],
      't.id',
    );
    const { skip, take } = pageOffset(q);
    const [rows, total] = await fetchPage(qb, skip, take);
    const names = await this.accountNames(rows.map((r) => r.accountId));
    return { items: rows.map((r) => threadView(r, names.get(r.accountId) ?? null)), total };
  }

  /** Account names by id, in one query for a page of threads. */
  private async accountNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.ds.getRepository(Account).find({ where: { id: In(unique) }, select: { id: true, name: true } });
    return new Map(rows.map((a) => [a.id, a.name]));
  }

  /**
   * The post a comment belongs to. A post Tongfa published is found by its target's platform id
   * (title from the manuscript, the link the platform gave); one made outside Tongfa has only its id.
   */
  private async post(t: InboxThread): Promise<ThreadPost | null> {
    if (!t.postRemoteId) return null;
    const target = await this.ds
      .getRepository(PublicationTarget)
      .findOne({ where: { accountId: t.accountId, remoteId: t.postRemoteId }, select: { publicationId: true, url: true } });
    if (!target) return { remoteId: t.postRemoteId, title: null, url: null, publicationId: null };
    const pub = await this.ds.getRepository(Publication).findOne({ where: { id: target.publicationId }, select: { manuscriptId: true } });
    const m = pub
      ? await this.ds.getRepository(Manuscript).findOne({ where: { id: pub.manuscriptId }, select: { id: true, title: true } })
      : null;
    return { remoteId: t.postRemoteId, title: m?.title ?? null, url: target.url, publicationId: target.publicationId };
  }

  /** Who the thread may be given to (the people assign() accepts), for the assign picker. */
  async assignees(actor: Actor, id: string): Promise<AssigneeView[]> {
    const t = await this.readable(actor, id);
    if (!pathInScope(t.unitPath, actor.scope(Permission.InboxAssign))) throw new InboxException(InboxError.ThreadNotFound);
    const ids = await unitStaff(this.ds.manager, t.unitId);
    if (!ids.length) return [];
    const users = await this.ds
      .getRepository(User)
      .find({ where: { id: In(ids) }, select: { id: true, displayName: true, username: true } });
    return users
      .map((u) => ({ id: u.id, displayName: u.displayName || u.username }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN'));
  }

  async get(actor: Actor, id: string): Promise<ThreadDetail> {
    const t = await this.readable(actor, id);
    const items = await this.ds.getRepository(InboxItem).find({ where: { threadId: t.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const notes = await this.ds.getRepository(InboxNote).find({ where: { threadId: t.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const names = await this.accountNames([t.accountId]);
    const assignee = t.assigneeId
      ? await this.ds.getRepository(User).findOne({ where: { id: t.assigneeId }, select: { id: true, displayName: true, username: true } })
      : null;
    return {
      ...threadView(t, names.get(t.accountId) ?? null),
      assigneeName: assignee ? assignee.displayName || assignee.username : null,
      post: await this.post(t),
      items: items.map((i) => ({
        id: i.id,
        direction: i.direction,
        kind: i.kind,
        author: i.author,
        text: i.text,
        parentId: i.parentId,
        createdAt: i.createdAt,
      })),
      replies: await this.replies.listForThread(t.id),
      notes: notes.map(noteView),
      moderations: (
        await this.ds.getRepository(InboxModeration).find({ where: { threadId: t.id }, order: { createdAt: 'ASC', id: 'ASC' } })
      ).map(moderationView),
    };
  }

  /** Gives the thread to an active editor or admin of its unit; the assignee is told. */
  async assign(actor: Actor, id: string, assigneeId: string): Promise<{ before: string | null; view: ThreadView; unitPath: string }> {
    const t = await this.readable(actor, id);
    if (!pathInScope(t.unitPath, actor.scope(Permission.InboxAssign))) throw new InboxException(InboxError.ThreadNotFound);
    if (!(await unitStaff(this.ds.manager, t.unitId)).includes(assigneeId)) {
      throw new InboxException(InboxError.AssigneeInvalid, {}, [
        { field: 'assigneeId', message: '须为本单位在职的编辑或单位管理员 / an active editor or admin of the unit' },
      ]);
    }
    const now = this.clock.now();
    const before = t.assigneeId;
    await this.ds.transaction(async (m) => {
      await m.update(InboxThread, { id: t.id }, { assigneeId, state: t.state === 'new' ? 'assigned' : t.state, updatedAt: now });
      await this.notifications.notify(
        {
          kind: NotificationKind.InboxTask,
          unitId: t.unitId,
          unitPath: t.unitPath,
          title: { zh: `请答复群众留言：${t.citizenName}`, en: `Please answer: ${t.citizenName}` },
          body: { zh: `“${t.preview}”已指派给您。`, en: `"${t.preview}" has been assigned to you.` },
          link: { type: 'inbox_thread', id: t.id },
          key: `inbox_assign:${t.id}:${now.getTime()}`,
        },
        [assigneeId],
        m,
      );
    });
    return { before, view: threadView(await this.ds.getRepository(InboxThread).findOneByOrFail({ id: t.id })), unitPath: t.unitPath };
  }

  async addNote(actor: Actor, id: string, text: string): Promise<{ note: NoteView; thread: InboxThread }> {
    const t = await this.readable(actor, id);
    if (!pathInScope(t.unitPath, actor.scope(Permission.InboxWork)) && !pathInScope(t.unitPath, actor.scope(Permission.InboxAssign))) {
      throw new InboxException(InboxError.ThreadNotFound);
    }
    const user = await this.ds.getRepository(User).findOneBy({ id: actor.userId });
    const note: InboxNote = {
      id: newId(),
      threadId: t.id,
      unitId: t.unitId,
      unitPath: t.unitPath,
      authorId: actor.userId,
      authorName: (user?.displayName ?? actor.username).slice(0, 100),
      text,
      createdAt: this.clock.now(),
    };
    await this.ds.getRepository(InboxNote).insert(note);
    return { note: noteView(note), thread: t };
  }

  async notes(actor: Actor, id: string): Promise<NoteView[]> {
    const t = await this.readable(actor, id);
    const rows = await this.ds.getRepository(InboxNote).find({ where: { threadId: t.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(noteView);
  }

  /** Closes a thread (办结): its clocks stop; a new message from the citizen reopens it. */
  async close(actor: Actor, id: string): Promise<ThreadView> {
    const t = await this.readable(actor, id);
    if (!pathInScope(t.unitPath, actor.scope(Permission.InboxWork))) throw new InboxException(InboxError.ThreadNotFound);
    if (t.state === 'closed') throw new InboxException(InboxError.Closed);
    const now = this.clock.now();
    await this.ds.getRepository(InboxThread).update({ id: t.id }, { state: 'closed', closedAt: now, remindAt: null, updatedAt: now });
    return threadView(await this.ds.getRepository(InboxThread).findOneByOrFail({ id: t.id }));
  }

  async readable(actor: Actor, id: string): Promise<InboxThread> {
    const t = await this.ds.getRepository(InboxThread).findOneBy({ id });
    if (!t || !pathInScope(t.unitPath, actor.scope(Permission.InboxRead))) throw new InboxException(InboxError.ThreadNotFound);
    return t;
  }
}
