import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  EntityTarget,
  In,
  InsertEvent,
  ObjectLiteral,
  RemoveEvent,
  SelectQueryBuilder,
  UpdateEvent,
} from 'typeorm';
import { addWorkingMinutes, Clock, newId, WorkingHours, workingMinutesBetween } from '@tongfa/core';
import { Account } from '@tongfa/accounts';
import { bulkInsert, noteTableWrite } from '@tongfa/database';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { Role, RoleAssignment, User } from '@tongfa/identity';
import { InboxItem, InboxThread, InboxUnitSetting, ItemDirection, ItemKind, ThreadKind } from './entities';
import { InboxSettingsService } from './inbox-settings.service';
import { InboundMessage, InboxPlatformPort, PostComment } from './platform-port';
import { SensitiveMatch, SensitiveTextDetector } from './sensitive';
import { nextInTurn, staffOfUnits } from './unit-staff';

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

/** A unit's settings and staff as this process last read them (see UNIT_TTL_MS), and its round-robin turn. */
interface UnitEntry {
  at: number;
  settings: UnitSettings;
  staff: string[];
  editors: string[];
  /**
   * The editor who took this process's last thread of the unit: moved at once on assignment (batches
   * committing together continue the turn), stored with each batch that moved it.
   */
  turn: string | null;
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
 * batch reads them inside its transaction, so a unit move is never undone by it.
 */
const ACCOUNT_TTL_MS = 5 * 60_000;
/** A push naming no account of ours is looked up again at most this often (a flood of them costs nothing). */
const UNKNOWN_ACCOUNT_TTL_MS = 10_000;
/** Account columns the cached copy depends on: writes of other columns (lastPostAt, …) keep it. */
const ACCOUNT_KEYS = new Set(['id', 'unitId', 'unitPath', 'platform', 'platformAccountId', 'name', 'status']);

/**
 * Group commit: batches waiting at once are stored in one transaction of at most this many items (a
 * busy minute's pushes and pages become a few dozen transactions instead of one each).
 */
const GROUP_MAX_ITEMS = 400;
/**
 * Group transactions in flight at once on MariaDB/MySQL (one prepares while the other commits); their
 * accounts never overlap, so they never race each other for an item or a thread. The embedded SQLite
 * connection takes one at a time (its transactions must not interleave).
 */
const GROUP_FLIGHTS = 2;

/** One account's items of a batch. */
interface AccountBatch {
  account: Account;
  items: IncomingItem[];
}

type ItemResult = { duplicate: boolean; threadId: string | null };

/** A batch waiting for its group commit; settled once its items are committed (and screened). */
interface Waiting {
  groups: AccountBatch[];
  size: number;
  resolve: (results: ItemResult[]) => void;
  reject: (e: unknown) => void;
}

interface Stored {
  results: ItemResult[];
  /** Incoming items stored, with their thread, for the sensitive screen after the commit. */
  incoming: { thread: InboxThread; item: IncomingItem }[];
}

/**
 * Stores what the platforms deliver: deduplicated on (account, platform id), grouped into threads
 * (per conversation for messages, per comment tree for comments), assigned on arrival, with the
 * SLA clocks started on the unit's working time and a duty alert for sensitive text.
 *
 * Group commit: the batches (a polled page, a webhook push) that arrive while a transaction is in flight
 * wait for the next one and are stored together, each caller answered only after the commit of its items
 * (a push's answer means "stored"). One transaction reads the accounts, the items and threads the group
 * already has (one query each, whatever the number of accounts), the settings and staff of units not
 * cached; new threads and items go in as multi-row INSERTs, touched threads are updated with one
 * statement per shape of change and the units' round-robin cursors with one upsert. The unique keys stay
 * the guarantee: a group that meets a concurrent delivery of one of its items or threads (another process;
 * a unique violation) is rolled back whole and stored again, reading what the other wrote, and after a
 * second violation one item at a time, where each race ends as a duplicate or a join; a group failing
 * otherwise is stored again batch by batch, so one bad batch fails only its own caller.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger('InboxIngest');
  /** Batches waiting for a group commit, in arrival order. */
  private waiting: Waiting[] = [];
  /** Accounts of the group transactions in flight (a batch of one of them waits for the next group). */
  private readonly busyAccounts = new Set<string>();
  private flights = 0;
  private pumpQueued = false;
  /** Accounts by (platform, pushed id): a push costs no account query while fresh (ACCOUNT_TTL_MS). */
  private readonly pushedAccounts = new Map<string, { at: number; account: Account | null }>();
  /** Pushed ids missed in this turn of the event loop, per platform, with their waiting pushes. */
  private readonly lookups = new Map<string, Map<string, { resolve: (a: Account | null) => void; reject: (e: unknown) => void }>>();
  /** Lookups in progress, by (platform, pushed id). */
  private readonly lookingUp = new Map<string, Promise<Account | null>>();
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

  /** Our accounts the pushes name, from the cache while fresh, else looked up with the other pushes' misses. */
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
    for (const [id, account] of await Promise.all(missing.map(async (id) => [id, await this.lookUp(platform, id)] as const)))
      out.set(id, account);
    return out;
  }

  /**
   * One pushed id's account: the ids missed in the same turn of the event loop are resolved together (one
   * query for the profile ids, one load), and pushes naming an id being looked up share that lookup.
   */
  private lookUp(platform: string, pushedId: string): Promise<Account | null> {
    const key = `${platform}\u0000${pushedId}`;
    const running = this.lookingUp.get(key);
    if (running) return running;
    const p = new Promise<Account | null>((resolve, reject) => {
      let batch = this.lookups.get(platform);
      if (!batch) {
        this.lookups.set(platform, (batch = new Map()));
        setImmediate(() => void this.runLookups(platform));
      }
      batch.set(pushedId, { resolve, reject });
    });
    this.lookingUp.set(key, p);
    const done = () => this.lookingUp.delete(key);
    p.then(done, done);
    return p;
  }

  private async runLookups(platform: string): Promise<void> {
    const batch = this.lookups.get(platform)!;
    this.lookups.delete(platform);
    try {
      const now = Date.now();
      const resolved = await this.port.resolveAccounts(platform, [...batch.keys()]);
      const ids = [...new Set([...resolved.values()].filter((x): x is string => !!x))];
      const accounts = new Map<string, Account>();
      for (const part of chunks(ids, LOOKUP_CHUNK))
        for (const a of await this.ds.getRepository(Account).findBy({ id: In(part) })) accounts.set(a.id, a);
      for (const [id, waiting] of batch) {
        const account = accounts.get(resolved.get(id) ?? '') ?? null;
        this.pushedAccounts.set(`${platform}\u0000${id}`, { at: now, account });
        waiting.resolve(account);
      }
    } catch (e) {
      for (const waiting of batch.values()) waiting.reject(e);
    }
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

  /**
   * A batch stored with the others waiting at once (group commit), or item by item after a race (see the
   * class comment); answered after its items are committed and screened.
   */
  private ingestBatch(groups: AccountBatch[]): Promise<ItemResult[]> {
    const size = groups.reduce((n, g) => n + g.items.length, 0);
    if (!size) return Promise.resolve([]);
    return new Promise<ItemResult[]>((resolve, reject) => {
      this.waiting.push({ groups, size, resolve, reject });
      // The batches arriving in the same turn of the event loop join the same group.
      if (!this.pumpQueued) {
        this.pumpQueued = true;
        setImmediate(() => {
          this.pumpQueued = false;
          this.pump();
        });
      }
    });
  }

  /** Starts group transactions while a flight is free and batches wait whose accounts are not in flight. */
  private pump(): void {
    const flights = this.ds.options.type === 'better-sqlite3' ? 1 : GROUP_FLIGHTS;
    while (this.flights < flights && this.waiting.length) {
      const group: Waiting[] = [];
      const accounts = new Set<string>();
      // Accounts of batches left waiting: a later batch of one of them stays behind too (order per account).
      const held = new Set<string>();
      let size = 0;
      this.waiting = this.waiting.filter((w) => {
        const ids = w.groups.map((g) => g.account.id);
        if (ids.some((id) => this.busyAccounts.has(id) || held.has(id)) || (group.length && size + w.size > GROUP_MAX_ITEMS)) {
          for (const id of ids) held.add(id);
          return true;
        }
        group.push(w);
        size += w.size;
        for (const id of ids) accounts.add(id);
        return false;
      });
      if (!group.length) return;
      this.flights++;
      for (const id of accounts) this.busyAccounts.add(id);
      void this.commitGroup(group).finally(() => {
        this.flights--;
        for (const id of accounts) this.busyAccounts.delete(id);
        this.pump();
      });
    }
  }

  /**
   * One transaction for the waiting batches (their items merged per account, in arrival order); each
   * caller gets its own items' results. A group failing other than by a race is stored again batch by
   * batch, so only the batch at fault fails.
   */
  private async commitGroup(group: Waiting[]): Promise<void> {
    const merged = new Map<string, AccountBatch>();
    // Where each caller's items are in the merged batches: [account batch, index].
    const places = group.map((w) =>
      w.groups.flatMap((g) => {
        const into = merged.get(g.account.id) ?? merged.set(g.account.id, { account: g.account, items: [] }).get(g.account.id)!;
        return g.items.map((x) => [into, into.items.push(x) - 1] as const);
      }),
    );
    const batches = [...merged.values()];
    let stored: Stored;
    try {
      stored = await this.storeAll(batches);
    } catch (e) {
      if (group.length === 1) return group[0]!.reject(e);
      for (const w of group)
        await this.storeAll(w.groups)
          .then(async (own) => {
            await this.screen(own.incoming);
            w.resolve(own.results);
          })
          .catch(w.reject);
      return;
    }
    // Stored: a screen that fails fails every caller (the platform pushes again; its items are then duplicates).
    try {
      await this.screen(stored.incoming);
    } catch (e) {
      for (const w of group) w.reject(e);
      return;
    }
    const offsets = new Map<AccountBatch, number>();
    let at = 0;
    for (const b of batches) {
      offsets.set(b, at);
      at += b.items.length;
    }
    group.forEach((w, k) => w.resolve(places[k]!.map(([b, i]) => stored.results[offsets.get(b)! + i]!)));
  }

  /**
   * The batches in one transaction. A unique violation means another process stored one of its items or
   * threads first (and has committed): once more as a whole, now reading what the winner wrote; after a
   * second one, item by item (see the class comment).
   */
  private async storeAll(groups: AccountBatch[]): Promise<Stored> {
    const now = this.clock.now();
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return await this.ds.transaction((m) => this.store(m, groups, now));
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    const stored: Stored = { results: [], incoming: [] };
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
    return stored;
  }

  /** Results in the order of `groups` and their items; one account per group (commitGroup merges them). */
  private async store(m: EntityManager, groups: AccountBatch[], now: Date): Promise<Stored> {
    const out: Stored = { results: [], incoming: [] };
    const newThreads: InboxThread[] = [];
    const created = new Set<InboxThread>();
    const newItems: InboxItem[] = [];
    const patches = new Map<string, { thread: InboxThread; patch: Partial<InboxThread> }>();
    // The accounts' unit and name as they are now: the callers' copies may be cached ones (pushes), and a
    // unit move must not be undone by them.
    const current = new Map<string, { unitId: string; unitPath: string; name: string }>();
    for (const ids of chunks([...new Set(groups.map((g) => g.account.id))], LOOKUP_CHUNK)) {
      const rows = await m
        .createQueryBuilder(Account, 'a')
        .select('a.id', 'id')
        .addSelect('a.unitId', 'unitId')
        .addSelect('a.unitPath', 'unitPath')
        .addSelect('a.name', 'name')
        .where('a.id IN (:...ids)', { ids })
        .getRawMany<{ id: string; unitId: string; unitPath: string; name: string }>();
      for (const r of rows) current.set(r.id, r);
    }
    for (const g of groups) {
      const now0 = current.get(g.account.id);
      if (now0 && (now0.unitId !== g.account.unitId || now0.unitPath !== g.account.unitPath || now0.name !== g.account.name))
        g.account = Object.assign(Object.create(Object.getPrototypeOf(g.account) as object) as Account, g.account, {
          unitId: now0.unitId,
          unitPath: now0.unitPath,
          name: now0.name,
        });
    }
    // The items already stored, then the threads of the new ones: one query each for all the accounts.
    const have = new Set<string>();
    for (const part of perAccount(groups, (x) => x.platformItemId)) {
      const rows = await matchPerAccount(m.createQueryBuilder(InboxItem, 'i'), 'i', 'platformItemId', part)
        .select('i.accountId', 'accountId')
        .addSelect('i.platformItemId', 'itemId')
        .getRawMany<{ accountId: string; itemId: string }>();
      for (const r of rows) have.add(`${r.accountId}\u0000${r.itemId}`);
    }
    const fresh = groups.map((g) => ({
      account: g.account,
      items: g.items.filter((x) => !have.has(`${g.account.id}\u0000${x.platformItemId}`)),
    }));
    const threads = new Map<string, InboxThread>();
    for (const part of perAccount(fresh, (x) => x.threadKey)) {
      for (const t of await matchPerAccount(m.createQueryBuilder(InboxThread, 't'), 't', 'threadKey', part).getMany())
        threads.set(`${t.accountId}\u0000${t.threadKey}`, t);
    }
    const units = await this.unitsOf(
      m,
      groups.map((g) => g.account.unitId),
    );
    const turned = new Map<string, { entry: UnitEntry; unitPath: string }>();
    for (const { account, items } of groups) {
      const unit = units.get(account.unitId)!;
      for (const x of items) {
        const key = `${account.id}\u0000${x.platformItemId}`;
        if (have.has(key)) {
          out.results.push({ duplicate: true, threadId: null });
          continue;
        }
        // The same item twice in the group (a push that lists it twice, a retry arriving with it) is stored once too.
        have.add(key);
        let thread = threads.get(`${account.id}\u0000${x.threadKey}`);
        if (!thread) {
          const turn = unit.turn;
          thread = this.newThread(account, x, unit, now);
          if (unit.turn !== turn) turned.set(account.unitId, { entry: unit, unitPath: account.unitPath });
          threads.set(`${account.id}\u0000${x.threadKey}`, thread);
          newThreads.push(thread);
          created.add(thread);
        }
        const patch = advance(thread, x, unit.settings, now);
        Object.assign(thread, patch);
        if (!created.has(thread)) {
          const p = patches.get(thread.id) ?? patches.set(thread.id, { thread, patch: {} }).get(thread.id)!;
          Object.assign(p.patch, patch);
        }
        newItems.push({
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
        out.results.push({ duplicate: false, threadId: thread.id });
        if (x.direction === 'in') out.incoming.push({ thread, item: x });
      }
    }
    // Threads before their items, each in the order of its unique key (two processes' groups then wait for
    // each other instead of deadlocking); a unique violation on either rolls the whole group back.
    const byKey =
      <T>(key: (r: T) => string) =>
      (a: T, b: T) =>
        key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    newThreads.sort(byKey((t) => `${t.accountId}\u0000${t.threadKey}`));
    newItems.sort(byKey((i) => `${i.accountId}\u0000${i.platformItemId}`));
    await bulkInsert(m, InboxThread, newThreads, INSERT_CHUNK);
    await bulkInsert(m, InboxItem, newItems, INSERT_CHUNK);
    await updateEach(
      m,
      InboxThread,
      [...patches.values()].map(({ thread, patch }) => ({ id: thread.id, patch })),
    );
    await this.saveTurns(m, turned);
    return out;
  }

  /**
   * Settings and staff of the units, from this process's copies while fresh; the others read with one
   * query for their settings and one for their staff.
   */
  private async unitsOf(m: EntityManager, unitIds: readonly string[]): Promise<Map<string, UnitEntry>> {
    const out = new Map<string, UnitEntry>();
    const missing: string[] = [];
    for (const id of new Set(unitIds)) {
      const hit = this.units.get(id);
      if (hit && Date.now() - hit.at < UNIT_TTL_MS) out.set(id, hit);
      else missing.push(id);
    }
    for (const ids of chunks(missing, LOOKUP_CHUNK)) {
      const rows = new Map((await m.find(InboxUnitSetting, { where: { unitId: In(ids) } })).map((r) => [r.unitId, r]));
      const staff = await staffOfUnits(m, ids, Role.Editor);
      for (const unitId of ids) {
        const settings = await this.settings.forUnit(unitId, m, rows.get(unitId) ?? null);
        const entry: UnitEntry = {
          at: Date.now(),
          settings,
          staff: staff.get(unitId)!.staff,
          editors: staff.get(unitId)!.narrow,
          turn: settings.lastAssigneeId,
        };
        this.units.set(unitId, entry);
        out.set(unitId, entry);
      }
    }
    return out;
  }

  /** A thread for the first item of a conversation or comment tree, assigned on arrival. */
  private newThread(account: Account, x: IncomingItem, unit: UnitEntry, now: Date): InboxThread {
    const s = unit.settings;
    // The unit's named owner while still on its staff, else the next editor in turn, else nobody (state new).
    let assignee: string | null = null;
    if (s.ownerUserId && unit.staff.includes(s.ownerUserId)) assignee = s.ownerUserId;
    else {
      assignee = nextInTurn(unit.editors, unit.turn);
      if (assignee) unit.turn = assignee;
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
   * The round-robin cursors of the units that gave out threads by turn, in one upsert (a unit without
   * a settings row gets one with the defaults). Two processes at once may give two threads to the
   * same editor: harmless, the turn moves on.
   */
  private async saveTurns(m: EntityManager, turned: Map<string, { entry: UnitEntry; unitPath: string }>): Promise<void> {
    if (!turned.size) return;
    const rows = [...turned]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([unitId, { entry, unitPath }]) => {
        const { unitId: _, lastAssigneeId: __, ...settings } = entry.settings;
        return { ...settings, unitId, unitPath, lastAssigneeId: entry.turn };
      });
    for (const part of chunks(rows, INSERT_CHUNK))
      await m.createQueryBuilder().insert().into(InboxUnitSetting).values(part).orUpdate(['lastAssigneeId'], ['unitId']).execute();
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

/** The keys of each account's items, in parts of at most LOOKUP_CHUNK keys (one query each). */
function perAccount(groups: readonly AccountBatch[], keyOf: (x: IncomingItem) => string): { accountId: string; keys: string[] }[][] {
  const parts: { accountId: string; keys: string[] }[][] = [];
  let part: { accountId: string; keys: string[] }[] = [];
  let n = 0;
  for (const g of groups) {
    for (const keys of chunks([...new Set(g.items.map(keyOf))], LOOKUP_CHUNK)) {
      if (n + keys.length > LOOKUP_CHUNK && part.length) {
        parts.push(part);
        part = [];
        n = 0;
      }
      part.push({ accountId: g.account.id, keys });
      n += keys.length;
    }
  }
  if (part.length) parts.push(part);
  return parts;
}

/** `(accountId = ? AND <column> IN (…)) OR …`: each account's keys, read through the (accountId, key) unique index. */
function matchPerAccount<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  column: string,
  part: readonly { accountId: string; keys: string[] }[],
): SelectQueryBuilder<T> {
  const params: Record<string, unknown> = {};
  const where = part
    .map((p, k) => {
      params[`a${k}`] = p.accountId;
      params[`k${k}`] = p.keys;
      return `(${alias}.accountId = :a${k} AND ${alias}.${column} IN (:...k${k}))`;
    })
    .join(' OR ');
  return qb.where(where, params);
}

/**
 * Updates rows by id, each with its own values: rows changing the same columns in one statement
 * (`SET c = CASE id WHEN … THEN … END … WHERE id IN (…)`), values converted by the driver as TypeORM
 * stores them. Raw SQL, so the list totals are told (noteTableWrite).
 */
async function updateEach<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  rows: readonly { id: string; patch: Partial<T> }[],
): Promise<void> {
  const shapes = new Map<string, { id: string; patch: Partial<T> }[]>();
  for (const r of rows) {
    // As TypeORM's update: a property set to undefined is left as it is.
    const patch = Object.fromEntries(Object.entries(r.patch).filter(([, v]) => v !== undefined)) as Partial<T>;
    const k = Object.keys(patch).sort().join(',');
    if (k) (shapes.get(k) ?? shapes.set(k, []).get(k)!).push({ id: r.id, patch });
  }
  const md = m.connection.getMetadata(target);
  const driver = m.connection.driver;
  const q = (s: string) => driver.escape(s);
  const id = q(md.findColumnWithPropertyName('id')!.databaseName);
  for (const same of shapes.values()) {
    same.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const part of chunks(same, INSERT_CHUNK)) {
      const params: unknown[] = [];
      const sets = Object.keys(part[0]!.patch).map((property) => {
        const c = md.findColumnWithPropertyName(property)!;
        const cases = part.map((r) => {
          params.push(r.id, driver.preparePersistentValue((r.patch as Record<string, unknown>)[property], c));
          return 'WHEN ? THEN ?';
        });
        return `${q(c.databaseName)} = CASE ${id} ${cases.join(' ')} END`;
      });
      params.push(...part.map((r) => r.id));
      await m.query(`UPDATE ${q(md.tableName)} SET ${sets.join(', ')} WHERE ${id} IN (${part.map(() => '?').join(', ')})`, params);
      noteTableWrite(md.tableName, m.queryRunner);
    }
  }
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
