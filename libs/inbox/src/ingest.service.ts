import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { addWorkingMinutes, Clock, newId, WorkingHours, workingMinutesBetween } from '@tongfa/core';
import { Account } from '@tongfa/accounts';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { Role } from '@tongfa/identity';
import { InboxItem, InboxThread, InboxUnitSetting, ItemDirection, ItemKind, ThreadKind } from './entities';
import { InboxSettingsService } from './inbox-settings.service';
import { InboundMessage, InboxPlatformPort, PostComment } from './platform-port';
import { SensitiveTextDetector } from './sensitive';
import { nextInTurn, unitStaff } from './unit-staff';

const HOUR = 3600_000;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One comment or message on its way into a thread. */
export interface IncomingItem {
  threadKey: string;
  kind: ThreadKind;
  postRemoteId: string | null;
  rootCommentId: string | null;
  citizenId: string | null;
  citizenName: string;
  platformItemId: string;
  direction: ItemDirection;
  itemKind: ItemKind;
  parentId: string | null;
  author: string;
  authorId: string | null;
  text: string;
  createdAt: Date;
  /** The platform's reply window from this item (private messages), hours. */
  replyWindowHours?: number;
}

export interface IngestOutcome {
  stored: number;
  duplicates: number;
  threads: string[];
}

/**
 * Stores what the platforms deliver: deduplicated on (account, platform id), grouped into threads
 * (per conversation for messages, per comment tree for comments), assigned on arrival, with the
 * SLA clocks started on the unit's working time and a duty alert for sensitive text.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger('InboxIngest');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly settings: InboxSettingsService,
    private readonly alerts: AlertsService,
    private readonly detector: SensitiveTextDetector,
    private readonly port: InboxPlatformPort,
  ) {}

  /** Messages a plugin accepted from a webhook push; unknown accounts are logged and skipped. */
  async ingestMessages(platform: string, messages: readonly InboundMessage[]): Promise<IngestOutcome> {
    const out: IngestOutcome = { stored: 0, duplicates: 0, threads: [] };
    const window = this.port.interaction(platform)?.messages?.replyWindowHours;
    for (const msg of messages) {
      const accountId = await this.port.resolveAccount(platform, msg.platformAccountId);
      const account = accountId ? await this.ds.getRepository(Account).findOneBy({ id: accountId }) : null;
      if (!account) {
        this.logger.warn(`${platform} push for unknown account ${msg.platformAccountId}: skipped`);
        continue;
      }
      const r = await this.ingest(account, {
        threadKey: `m:${msg.conversationId}`,
        kind: 'message',
        postRemoteId: null,
        rootCommentId: null,
        citizenId: msg.conversationId,
        citizenName: msg.author ?? msg.conversationId,
        platformItemId: msg.messageId,
        direction: 'in',
        itemKind: msg.kind,
        parentId: null,
        author: msg.author ?? msg.conversationId,
        authorId: msg.conversationId,
        text: msg.text,
        createdAt: new Date(msg.createdAt),
        replyWindowHours: window,
      });
      tally(out, r);
    }
    return out;
  }

  /** A page of a post's comments (any order); parents are stored before their answers. */
  async ingestComments(account: Account, postRemoteId: string, comments: readonly PostComment[]): Promise<IngestOutcome> {
    const out: IngestOutcome = { stored: 0, duplicates: 0, threads: [] };
    for (const c of [...comments].sort((a, b) => a.createdAt - b.createdAt)) {
      const root = c.parentId ? await this.rootOf(account.id, postRemoteId, c.parentId) : c.id;
      const base = {
        threadKey: `c:${postRemoteId}:${root}`,
        kind: 'comment' as const,
        postRemoteId,
        rootCommentId: root,
        itemKind: 'text' as const,
      };
      tally(
        out,
        await this.ingest(account, {
          ...base,
          citizenId: c.fromAccount ? null : (c.authorId ?? null),
          citizenName: c.author,
          platformItemId: c.id,
          direction: c.fromAccount ? 'out' : 'in',
          parentId: c.parentId ?? null,
          author: c.author,
          authorId: c.authorId ?? null,
          text: c.text,
          createdAt: new Date(c.createdAt),
        }),
      );
      // WeChat keeps one reply per comment on the comment itself: it is the account's answer.
      if (c.reply) {
        tally(
          out,
          await this.ingest(account, {
            ...base,
            citizenId: null,
            citizenName: c.author,
            platformItemId: c.reply.id ?? `${c.id}#reply`,
            direction: 'out',
            parentId: c.id,
            author: account.name,
            authorId: null,
            text: c.reply.text,
            createdAt: new Date(c.reply.createdAt),
          }),
        );
      }
    }
    return out;
  }

  private async rootOf(accountId: string, postRemoteId: string, parentId: string): Promise<string> {
    const parent = await this.ds.getRepository(InboxItem).findOneBy({ accountId, platformItemId: parentId });
    if (!parent) return parentId;
    const thread = await this.ds.getRepository(InboxThread).findOneBy({ id: parent.threadId });
    return thread?.rootCommentId ?? parentId;
  }

  /** Stores one item; a second delivery of the same platform id is a no-op (`duplicate`). */
  async ingest(account: Account, x: IncomingItem): Promise<{ duplicate: boolean; threadId: string | null }> {
    const now = this.clock.now();
    const res = await this.ds.transaction(async (m) => {
      if (await m.exists(InboxItem, { where: { accountId: account.id, platformItemId: x.platformItemId } })) {
        return { duplicate: true, thread: null };
      }
      const thread = await this.threadFor(m, account, x, now);
      try {
        await m.insert(InboxItem, {
          id: newId(),
          threadId: thread.id,
          accountId: account.id,
          platformItemId: x.platformItemId,
          direction: x.direction,
          kind: x.itemKind,
          parentId: x.parentId,
          author: clip(x.author, 200),
          authorId: x.authorId,
          text: x.text,
          createdAt: x.createdAt,
          receivedAt: now,
        });
      } catch (e) {
        // A concurrent delivery of the same item won the unique key: it is stored once.
        if (await m.exists(InboxItem, { where: { accountId: account.id, platformItemId: x.platformItemId } })) {
          return { duplicate: true, thread: null };
        }
        throw e;
      }
      await this.advance(m, thread, x, now);
      return { duplicate: false, thread };
    });
    if (res.thread && x.direction === 'in') await this.screen(res.thread, x);
    return { duplicate: res.duplicate, threadId: res.thread?.id ?? null };
  }

  private async threadFor(m: EntityManager, account: Account, x: IncomingItem, now: Date): Promise<InboxThread> {
    const existing = await m.findOneBy(InboxThread, { accountId: account.id, threadKey: x.threadKey });
    if (existing) return existing;
    const s = await this.settings.forUnit(account.unitId, m);
    const assignee = await this.pickAssignee(m, account.unitId, s.ownerUserId, s.lastAssigneeId);
    const at = x.createdAt.getTime() > now.getTime() ? now : x.createdAt;
    const thread = m.create(InboxThread, {
      id: newId(),
      accountId: account.id,
      platform: account.platform,
      unitId: account.unitId,
      unitPath: account.unitPath,
      kind: x.kind,
      threadKey: x.threadKey,
      postRemoteId: x.postRemoteId,
      rootCommentId: x.rootCommentId,
      citizenId: x.citizenId,
      citizenName: clip(x.citizenName, 200),
      state: assignee ? 'assigned' : 'new',
      assigneeId: assignee,
      preview: '',
      sensitive: false,
      firstIncomingAt: at,
      lastIncomingAt: at,
      firstResponseDueAt: null,
      remindAt: null,
      resolutionDueAt: x.direction === 'in' ? addWorkingMinutes(at, s.resolutionMinutes, s.workingHours) : null,
      replyDeadlineAt: null,
      firstRespondedAt: null,
      firstResponseMinutes: null,
      respondedInTime: null,
      closedAt: null,
      remindedAt: null,
      escalatedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await m.insert(InboxThread, thread);
    } catch (e) {
      const raced = await m.findOneBy(InboxThread, { accountId: account.id, threadKey: x.threadKey });
      if (raced) return raced;
      throw e;
    }
    if (assignee && !s.ownerUserId) await this.moveTurn(m, account, assignee);
    return thread;
  }

  /** The unit's named owner while still on its staff, else the next editor in turn, else nobody (state new). */
  private async pickAssignee(m: EntityManager, unitId: string, owner: string | null, last: string | null): Promise<string | null> {
    const staff = await unitStaff(m, unitId);
    if (owner && staff.includes(owner)) return owner;
    const editors = await unitStaff(m, unitId, [Role.Editor]);
    return nextInTurn(editors, last);
  }

  private async moveTurn(m: EntityManager, account: Account, assignee: string): Promise<void> {
    const row = await m.findOneBy(InboxUnitSetting, { unitId: account.unitId });
    if (row) await m.update(InboxUnitSetting, { unitId: account.unitId }, { lastAssigneeId: assignee });
    else {
      const { unitId: _, ...defaults } = await this.settings.forUnit(account.unitId, m);
      await m.insert(InboxUnitSetting, { ...defaults, unitId: account.unitId, unitPath: account.unitPath, lastAssigneeId: assignee });
    }
  }

  /**
   * Moves the thread for a new item. Incoming: the first-response clock starts if none is running
   * (a replied or closed thread reopens), the platform's window restarts from the citizen's last
   * message. Outgoing (answered in the platform's own app): counts as the answer.
   */
  private async advance(m: EntityManager, t: InboxThread, x: IncomingItem, now: Date): Promise<void> {
    const at = x.createdAt.getTime() > now.getTime() ? now : x.createdAt;
    const patch: Partial<InboxThread> = { updatedAt: now };
    const s = await this.settings.forUnit(t.unitId, m);
    if (x.direction === 'in') {
      patch.preview = clip(x.text, 500);
      if (at > t.lastIncomingAt) patch.lastIncomingAt = at;
      const waiting = t.state === 'new' || t.state === 'assigned';
      if (!waiting || !t.firstResponseDueAt) {
        patch.state = t.assigneeId ? 'assigned' : 'new';
        patch.firstResponseDueAt = addWorkingMinutes(at, s.firstResponseMinutes, s.workingHours);
        patch.remindAt = addWorkingMinutes(at, Math.max(0, s.firstResponseMinutes - s.remindBeforeMinutes), s.workingHours);
        patch.remindedAt = null;
        patch.escalatedAt = null;
        patch.closedAt = null;
        if (t.state === 'closed' || !t.resolutionDueAt) patch.resolutionDueAt = addWorkingMinutes(at, s.resolutionMinutes, s.workingHours);
      }
      if (x.replyWindowHours) patch.replyDeadlineAt = new Date(at.getTime() + x.replyWindowHours * HOUR);
    } else if (t.state === 'new' || t.state === 'assigned') {
      Object.assign(patch, answeredPatch(t, at, s.workingHours));
    }
    await m.update(InboxThread, { id: t.id }, patch);
    Object.assign(t, patch);
  }

  /** Sensitive or 舆情 text raises a duty alert at once (after the item is stored). */
  private async screen(t: InboxThread, x: IncomingItem): Promise<void> {
    let match;
    try {
      match = await this.detector.match(x.text);
    } catch (e) {
      this.logger.warn(`sensitive check failed for thread ${t.id}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (!match) return;
    await this.ds.transaction(async (m) => {
      await m.update(InboxThread, { id: t.id }, { sensitive: true });
      await this.alerts.raise(
        {
          kind: DutyAlertKind.InboxSensitive,
          severity: match.lexicon ? DutyAlertSeverity.Critical : DutyAlertSeverity.Warning,
          unitId: t.unitId,
          unitPath: t.unitPath,
          title: {
            zh: `群众留言涉及敏感内容：${match.words.join('、')}`,
            en: `Citizen's text touches sensitive matters: ${match.words.join(', ')}`,
          },
          message: {
            zh: `${t.platform} 账号收到${t.kind === 'message' ? '私信' : '评论'}（${t.citizenName}）：“${clip(x.text, 200)}”，请值班人员及时研判处置。`,
            en: `A ${t.kind} from ${t.citizenName} on ${t.platform}: "${clip(x.text, 200)}". The duty officer should assess it now.`,
          },
          link: { type: 'inbox_thread', id: t.id },
          dedupeKey: `inbox_sensitive:${t.accountId}:${x.platformItemId}`,
        },
        m,
      );
    });
  }
}

/**
 * The thread's change when its pending question is answered at `at`: replied; the first answer's
 * working minutes and whether it met the deadline are kept for the metrics.
 */
export function answeredPatch(t: InboxThread, at: Date, hours: WorkingHours): Partial<InboxThread> {
  const patch: Partial<InboxThread> = { state: 'replied', remindAt: null };
  if (!t.firstRespondedAt) {
    patch.firstRespondedAt = at;
    patch.firstResponseMinutes = Math.round(workingMinutesBetween(t.firstIncomingAt, at, hours));
    patch.respondedInTime = t.firstResponseDueAt ? at.getTime() <= t.firstResponseDueAt.getTime() : true;
  }
  return patch;
}

function tally(out: IngestOutcome, r: { duplicate: boolean; threadId: string | null }): void {
  if (r.duplicate) out.duplicates++;
  else out.stored++;
  if (r.threadId && !out.threads.includes(r.threadId)) out.threads.push(r.threadId);
}
