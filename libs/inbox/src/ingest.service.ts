import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntitySubscriberInterface, In, InsertEvent, RemoveEvent, UpdateEvent } from 'typeorm';
import { addWorkingMinutes, Clock, newId, WorkingHours, workingMinutesBetween } from '@tongfa/core';
import { Account } from '@tongfa/accounts';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { Role, RoleAssignment, User } from '@tongfa/identity';
import { InboxItem, InboxThread, InboxUnitSetting, ItemDirection, ItemKind, ThreadKind } from './entities';
import { InboxSettingsService } from './inbox-settings.service';
import { InboundMessage, InboxPlatformPort, PostComment } from './platform-port';
import { SensitiveMatch, SensitiveTextDetector } from './sensitive';
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

/** Rows per multi-row INSERT: well under SQLite's bound-variable limit and MySQL's packet size. */
const INSERT_CHUNK = 200;
/** Ids per IN list. */
const LOOKUP_CHUNK = 500;

const chunks = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

function isUniqueViolation(e: unknown): boolean {
  const code = String(
    (e as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ?? (e as { code?: unknown })?.code ?? '',
  );
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
}

type UnitSettings = Awaited<ReturnType<InboxSettingsService['forUnit']>>;

/** What one batch knows of each unit: settings, staff, and the moving round-robin turn. */
interface UnitCache {
  settings: UnitSettings;
  staff: string[];
  editors: string[];
  turn: string | null;
  turned: boolean;
  /** The process-wide entry this batch's view was taken from (its turn moves on after the commit). */
  base: UnitEntry;
}

/** A unit's settings and staff as this process last read them (see UNIT_TTL_MS). */
interface UnitEntry {
  at: number;
  settings: UnitSettings;
  staff: string[];
  editors: string[];
  turn: string | null;
  /** Whether the unit has an inbox_unit_setting row (the turn is then one UPDATE). */
  hasRow: boolean;
}

/**
 * How long a unit's settings and staff are trusted without reading them again. A settings change made
 * through InboxSettingsService, or a grant, withdrawal or user change written by this process, drops the
 * entry at once; one made by another process is seen within this time, which only decides who is given
 * the next new thread: an editor who has left can be handed one for at most this long (and it can be
 * reassigned).
 */
const UNIT_TTL_MS = 2 * 60_000;
/**
 * How long the account a push names (which of our accounts a platform id is) is trusted without looking
 * it up again. A write to an account in this process drops the cache at once (AccountChanges); another
 * process's is seen within this time. The unit and name the thread gets never come from this copy: the
 * batch reads them with its dedupe query, inside its transaction, so a unit move is never undone by it.
 */
const ACCOUNT_TTL_MS = 5 * 60_000;
/** A push naming no account of ours is looked up again at most this often (a flood of them costs nothing). */
const UNKNOWN_ACCOUNT_TTL_MS = 10_000;
/** Account columns the cached copy depends on: writes of other columns (lastPostAt, …) keep it. */
const ACCOUNT_KEYS = new Set(['id', 'unitId', 'unitPath', 'platform', 'platformAccountId', 'name', 'status']);

/** One account's items of a batch. */
interface AccountBatch {
  account: Account;
  items: IncomingItem[];
}

interface Stored {
  results: { duplicate: boolean; threadId: string | null }[];
  /** Incoming items stored, with their thread, for the sensitive screen after the commit. */
  incoming: { thread: InboxThread; item: IncomingItem }[];
}

/**
 * Stores what the platforms deliver: deduplicated on (account, platform id), grouped into threads
 * (per conversation for messages, per comment tree for comments), assigned on arrival, with the
 * SLA clocks started on the unit's working time and a duty alert for sensitive text.
 *
 * A batch (a polled page, a webhook push) is one transaction: the items and threads it already has are
 * read with one query each, the unit's settings and staff once per unit, new threads and items go in as
 * multi-row INSERTs and each touched thread is updated once. The unique keys stay the guarantee: a batch
 * that meets a concurrent delivery of one of its items or threads (a unique violation) is rolled back
 * whole and stored again one item at a time, where each race ends as a duplicate or a join.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger('InboxIngest');
  /** The embedded mode's queue of batches (see ingestBatch). */
  private embeddedTurn: Promise<unknown> = Promise.resolve();
  /** Accounts by (platform, pushed id): a push costs no account query while fresh (ACCOUNT_TTL_MS). */
  private readonly pushedAccounts = new Map<string, { at: number; account: Account | null }>();
  /** Units' settings and staff (UNIT_TTL_MS). */
  private readonly units = new Map<string, UnitEntry>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly settings: InboxSettingsService,
    private readonly alerts: AlertsService,
    private readonly detector: SensitiveTextDetector,
    private readonly port: InboxPlatformPort,
  ) {
    // Writes to accounts in this process drop the cached copies at once.
    ds.subscribers.push(new AccountChanges(() => this.pushedAccounts.clear()));
    settings.onChange((unitId) => this.units.delete(unitId));
    // So do grants, withdrawals and user changes to the staff (rare beside pushes: all units are read again).
    ds.subscribers.push(new StaffChanges(() => this.units.clear()));
  }

  /** Our accounts the pushes name, from the cache while fresh, else one lookup each (and one load). */
  private async pushedAccountsOf(platform: string, pushedIds: readonly string[]): Promise<Map<string, Account | null>> {
    const now = Date.now();
    const out = new Map<string, Account | null>();
    const missing: string[] = [];
    for (const id of new Set(pushedIds)) {
      const hit = this.pushedAccounts.get(`${platform}\u0000${id}`);
      const ttl = hit?.account ? ACCOUNT_TTL_MS : UNKNOWN_ACCOUNT_TTL_MS;
      if (hit && now - hit.at < ttl) out.set(id, hit.account);
      else missing.push(id);
    }
    if (!missing.length) return out;
    const resolved = new Map<string, string | null>();
    for (const id of missing) resolved.set(id, await this.port.resolveAccount(platform, id));
    const ids = [...new Set([...resolved.values()].filter((x): x is string => !!x))];
    const accounts = new Map((ids.length ? await this.ds.getRepository(Account).findBy({ id: In(ids) }) : []).map((a) => [a.id, a]));
    for (const id of missing) {
      const account = accounts.get(resolved.get(id) ?? '') ?? null;
      out.set(id, account);
      this.pushedAccounts.set(`${platform}\u0000${id}`, { at: now, account });
    }
    return out;
  }

  /** Messages a plugin accepted from a webhook push; unknown accounts are logged and skipped. */
  async ingestMessages(platform: string, messages: readonly InboundMessage[]): Promise<IngestOutcome> {
    const window = this.port.interaction(platform)?.messages?.replyWindowHours;
    const accounts = await this.pushedAccountsOf(
      platform,
      messages.map((m) => m.platformAccountId),
    );
    const groups = new Map<string, AccountBatch>();
    for (const msg of messages) {
      const account = accounts.get(msg.platformAccountId);
      if (!account) {
        this.logger.warn(`${platform} push for unknown account ${msg.platformAccountId}: skipped`);
        continue;
      }
      const g = groups.get(account.id) ?? groups.set(account.id, { account, items: [] }).get(account.id)!;
      g.items.push({
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
    }
    return outcome(await this.ingestBatch([...groups.values()]));
  }

  /** A page of a post's comments (any order); parents are stored before their answers. */
  async ingestComments(account: Account, postRemoteId: string, comments: readonly PostComment[]): Promise<IngestOutcome> {
    const sorted = [...comments].sort((a, b) => a.createdAt - b.createdAt);
    // The tree a comment belongs to: its parent's, from this page or (one query) from what is stored.
    const inPage = new Set(sorted.map((c) => c.id));
    const stored = await this.rootsOf(account.id, [
      ...new Set(sorted.map((c) => c.parentId).filter((p): p is string => !!p && !inPage.has(p))),
    ]);
    const rootOf = new Map<string, string>();
    const items: IncomingItem[] = [];
    for (const c of sorted) {
      const root = c.parentId ? (rootOf.get(c.parentId) ?? stored.get(c.parentId) ?? c.parentId) : c.id;
      rootOf.set(c.id, root);
      const base = {
        threadKey: `c:${postRemoteId}:${root}`,
        kind: 'comment' as const,
        postRemoteId,
        rootCommentId: root,
        itemKind: 'text' as const,
      };
      items.push({
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
      });
      // WeChat keeps one reply per comment on the comment itself: it is the account's answer.
      if (c.reply) {
        items.push({
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
        });
      }
    }
    return outcome(await this.ingestBatch([{ account, items }]));
  }

  /** The root comment of each stored comment's tree, by the comment's platform id. */
  private async rootsOf(accountId: string, commentIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const ids of chunks(commentIds, LOOKUP_CHUNK)) {
      const rows = await this.ds
        .getRepository(InboxItem)
        .createQueryBuilder('i')
        .innerJoin(InboxThread, 't', 't.id = i.threadId')
        .select('i.platformItemId', 'id')
        .addSelect('t.rootCommentId', 'root')
        .where('i.accountId = :accountId AND i.platformItemId IN (:...ids)', { accountId, ids })
        .getRawMany<{ id: string; root: string | null }>();
      for (const r of rows) if (r.root) out.set(r.id, r.root);
    }
    return out;
  }

  /** Stores one item; a second delivery of the same platform id is a no-op (`duplicate`). */
  async ingest(account: Account, x: IncomingItem): Promise<{ duplicate: boolean; threadId: string | null }> {
    return (await this.ingestBatch([{ account, items: [x] }]))[0]!;
  }

  /** A batch in one transaction, or item by item after a race (see the class comment); then the screen. */
  private async ingestBatch(groups: AccountBatch[]): Promise<{ duplicate: boolean; threadId: string | null }[]> {
    if (!groups.some((g) => g.items.length)) return [];
    if (this.ds.options.type !== 'better-sqlite3') return this.storeAndScreen(groups);
    // The embedded SQLite file has one connection, whose transactions must not interleave: batches of
    // concurrent pushes and sweeps in this (the only) process take turns.
    const run = this.embeddedTurn.then(() => this.storeAndScreen(groups));
    this.embeddedTurn = run.catch(() => undefined);
    return run;
  }

  private async storeAndScreen(groups: AccountBatch[]): Promise<{ duplicate: boolean; threadId: string | null }[]> {
    const now = this.clock.now();
    let stored: Stored;
    try {
      stored = await this.ds.transaction((m) => this.store(m, groups, now));
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      stored = { results: [], incoming: [] };
      for (const g of groups) {
        for (const x of g.items) {
          const one = await this.ds
            .transaction((m) => this.store(m, [{ account: g.account, items: [x] }], now))
            .catch(async (err: unknown) => {
              if (!isUniqueViolation(err)) throw err;
              // Lost the race for this very item (stored once, by the other delivery) or for its new
              // thread (created by the other): once more, now reading what the winner wrote.
              return this.ds.transaction((m) => this.store(m, [{ account: g.account, items: [x] }], now));
            });
          stored.results.push(...one.results);
          stored.incoming.push(...one.incoming);
        }
      }
    }
    await this.screen(stored.incoming);
    return stored.results;
  }

  private async store(m: EntityManager, groups: AccountBatch[], now: Date): Promise<Stored> {
    const out: Stored = { results: [], incoming: [] };
    const units = new Map<string, UnitCache>();
    const newThreads: InboxThread[] = [];
    const newItems: InboxItem[] = [];
    const patches = new Map<string, { thread: InboxThread; patch: Partial<InboxThread> }>();
    for (const group of groups) {
      const { items } = group;
      let account = group.account;
      const have = new Set<string>();
      for (const ids of chunks([...new Set(items.map((x) => x.platformItemId))], LOOKUP_CHUNK)) {
        // The items already stored, and the account's unit and name as they are now, in one statement:
        // the caller's copy may be a cached one (a push), and a unit move must not be undone by it.
        const rows = await m
          .createQueryBuilder(Account, 'a')
          .leftJoin(InboxItem, 'i', 'i.accountId = a.id AND i.platformItemId IN (:...ids)', { ids })
          .select('a.unitId', 'unitId')
          .addSelect('a.unitPath', 'unitPath')
          .addSelect('a.name', 'name')
          .addSelect('i.platformItemId', 'itemId')
          .where('a.id = :id', { id: account.id })
          .getRawMany<{ unitId: string; unitPath: string; name: string; itemId: string | null }>();
        const now0 = rows[0];
        if (now0 && (now0.unitId !== account.unitId || now0.unitPath !== account.unitPath || now0.name !== account.name))
          account = Object.assign(Object.create(Object.getPrototypeOf(account) as object) as Account, account, {
            unitId: now0.unitId,
            unitPath: now0.unitPath,
            name: now0.name,
          });
        for (const r of rows) if (r.itemId) have.add(r.itemId);
      }
      group.account = account;
      const fresh = items.filter((x) => !have.has(x.platformItemId));
      const threads = new Map<string, InboxThread>();
      for (const keys of chunks([...new Set(fresh.map((x) => x.threadKey))], LOOKUP_CHUNK)) {
        for (const t of await m.find(InboxThread, { where: { accountId: account.id, threadKey: In(keys) } })) threads.set(t.threadKey, t);
      }
      for (const x of items) {
        if (have.has(x.platformItemId)) {
          out.results.push({ duplicate: true, threadId: null });
          continue;
        }
        // The same item twice in one batch (a push that lists it twice) is stored once too.
        have.add(x.platformItemId);
        const unit = await this.unit(m, units, account.unitId);
        let thread = threads.get(x.threadKey);
        if (!thread) {
          thread = this.newThread(account, x, unit, now);
          threads.set(x.threadKey, thread);
          newThreads.push(thread);
        }
        const patch = advance(thread, x, unit.settings, now);
        Object.assign(thread, patch);
        if (!newThreads.includes(thread)) {
          const p = patches.get(thread.id) ?? patches.set(thread.id, { thread, patch: {} }).get(thread.id)!;
          Object.assign(p.patch, patch);
        }
        newItems.push(
          m.create(InboxItem, {
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
          }),
        );
        out.results.push({ duplicate: false, threadId: thread.id });
        if (x.direction === 'in') out.incoming.push({ thread, item: x });
      }
    }
    // Threads before their items; a unique violation on either rolls the whole batch back (see ingestBatch).
    for (const rows of chunks(newThreads, INSERT_CHUNK)) await m.insert(InboxThread, rows);
    for (const rows of chunks(newItems, INSERT_CHUNK)) await m.insert(InboxItem, rows);
    for (const { thread, patch } of patches.values()) await m.update(InboxThread, { id: thread.id }, patch);
    for (const [unitId, u] of units) if (u.turned && u.turn) await this.moveTurn(m, unitId, groups, u);
    return out;
  }

  private async unit(m: EntityManager, cache: Map<string, UnitCache>, unitId: string): Promise<UnitCache> {
    const hit = cache.get(unitId);
    if (hit) return hit;
    let base = this.units.get(unitId);
    if (!base || Date.now() - base.at >= UNIT_TTL_MS) {
      const row = await m.findOneBy(InboxUnitSetting, { unitId });
      const settings = await this.settings.forUnit(unitId, m, row);
      base = {
        at: Date.now(),
        settings,
        staff: settings.ownerUserId ? await unitStaff(m, unitId) : [],
        editors: await unitStaff(m, unitId, [Role.Editor]),
        turn: settings.lastAssigneeId,
        hasRow: !!row,
      };
      this.units.set(unitId, base);
    }
    const u: UnitCache = { settings: base.settings, staff: base.staff, editors: base.editors, turn: base.turn, turned: false, base };
    cache.set(unitId, u);
    return u;
  }

  /** A thread for the first item of a conversation or comment tree, assigned on arrival. */
  private newThread(account: Account, x: IncomingItem, unit: UnitCache, now: Date): InboxThread {
    const s = unit.settings;
    // The unit's named owner while still on its staff, else the next editor in turn, else nobody (state new).
    let assignee: string | null = null;
    if (s.ownerUserId && unit.staff.includes(s.ownerUserId)) assignee = s.ownerUserId;
    else {
      assignee = nextInTurn(unit.editors, unit.turn);
      if (assignee) {
        unit.turn = assignee;
        unit.turned = true;
      }
    }
    const at = x.createdAt.getTime() > now.getTime() ? now : x.createdAt;
    return {
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
    };
  }

  /**
   * The unit's round-robin cursor after the batch. Two batches at once may read the same cursor and
   * give two threads to the same editor: harmless, the turn moves on.
   */
  private async moveTurn(m: EntityManager, unitId: string, groups: AccountBatch[], u: UnitCache): Promise<void> {
    u.base.turn = u.turn;
    // One UPDATE when the unit has its row (0 affected: gone meanwhile, or a driver counting only changed
    // rows and the cursor already there: the insert below then settles it).
    if (u.base.hasRow && (await m.update(InboxUnitSetting, { unitId }, { lastAssigneeId: u.turn })).affected) return;
    const unitPath = groups.find((g) => g.account.unitId === unitId)!.account.unitPath;
    const { unitId: _, lastAssigneeId: __, ...defaults } = u.settings;
    try {
      await m.insert(InboxUnitSetting, { ...defaults, unitId, unitPath, lastAssigneeId: u.turn });
    } catch (e) {
      // Created meanwhile by a concurrent batch (the primary key is the unit): move its cursor instead.
      if (!isUniqueViolation(e)) throw e;
      await m.update(InboxUnitSetting, { unitId }, { lastAssigneeId: u.turn });
    }
    u.base.hasRow = true;
  }

  /**
   * Sensitive or 舆情 text raises a duty alert at once (after the items are stored): matched against the
   * compiled lexicon and the keyword list, one transaction for the batch's matches.
   */
  private async screen(incoming: Stored['incoming']): Promise<void> {
    const hits: { thread: InboxThread; item: IncomingItem; match: SensitiveMatch }[] = [];
    for (const { thread, item } of incoming) {
      try {
        const match = await this.detector.match(item.text);
        if (match) hits.push({ thread, item, match });
      } catch (e) {
        this.logger.warn(`sensitive check failed for thread ${thread.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!hits.length) return;
    await this.ds.transaction(async (m) => {
      await m.update(InboxThread, { id: In([...new Set(hits.map((h) => h.thread.id))]) }, { sensitive: true });
      for (const { thread: t, item: x, match } of hits) {
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
      }
    });
  }
}

/**
 * The thread's change for a new item. Incoming: the first-response clock starts if none is running
 * (a replied or closed thread reopens), the platform's window restarts from the citizen's last
 * message. Outgoing (answered in the platform's own app): counts as the answer.
 */
function advance(t: InboxThread, x: IncomingItem, s: UnitSettings, now: Date): Partial<InboxThread> {
  const at = x.createdAt.getTime() > now.getTime() ? now : x.createdAt;
  const patch: Partial<InboxThread> = { updatedAt: now };
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
  return patch;
}

function outcome(results: { duplicate: boolean; threadId: string | null }[]): IngestOutcome {
  const out: IngestOutcome = { stored: 0, duplicates: 0, threads: [] };
  for (const r of results) tally(out, r);
  return out;
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

/**
 * Drops IngestService's cached accounts when this process writes an account's identity (unit, platform
 * id, name, status); other columns (lastPostAt on every publish, …) leave the cache alone.
 */
class AccountChanges implements EntitySubscriberInterface<Account> {
  constructor(private readonly drop: () => void) {}

  listenTo(): typeof Account {
    return Account;
  }

  afterInsert(_event: InsertEvent<Account>): void {
    this.drop();
  }

  afterUpdate(event: UpdateEvent<Account>): void {
    const changed = event.entity ? Object.keys(event.entity) : null;
    if (!changed || changed.some((k) => ACCOUNT_KEYS.has(k))) this.drop();
  }

  afterRemove(_event: RemoveEvent<Account>): void {
    this.drop();
  }
}

/** Drops IngestService's cached unit staff when this process writes a role assignment or a user. */
class StaffChanges implements EntitySubscriberInterface {
  constructor(private readonly drop: () => void) {}

  afterInsert(event: InsertEvent<unknown>): void {
    if (isStaffTable(event.metadata.target)) this.drop();
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    if (isStaffTable(event.metadata.target)) this.drop();
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    if (isStaffTable(event.metadata.target)) this.drop();
  }
}

const isStaffTable = (target: unknown) => target === RoleAssignment || target === User;
