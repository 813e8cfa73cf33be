import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import { Clock, localDate, newId } from '@tongfa/core';
import { Account, AccountStatus } from '@tongfa/accounts';
import { JobHandler } from '@tongfa/jobs';
import { isPluginError } from '@tongfa/plugin-sdk';
import { PublicationTarget } from '@tongfa/publishing';
import { InboxAccountPoll, InboxListing, InboxPoll, InboxPollBudget } from './entities';
import { IngestService } from './ingest.service';
import { InboxPlatformPort, PostComment } from './platform-port';
import { nextLocalMidnight, nextPollAt } from './poll-schedule';
import { dailyPollBudget, pollStretch } from './poll-budget';

const DAY = 24 * 3600_000;
/** Accounts whose comments and posts are read: opened and running (not cancelled, suspended or applying). */
const LIVE: readonly AccountStatus[] = [AccountStatus.Opened, AccountStatus.Active];
/** lastError prefix of a listing row parked because its account is not live. */
const PAUSED = 'paused:';
const BATCH = 200;
/**
 * Comment polling. Every published post of an account whose plugin lists comments gets an
 * inbox_poll row (found by the discovery sweep, so the publishing context does not know the
 * inbox); the poll sweep reads due rows one platform call each, within the account's daily budget
 * (poll-budget.ts: a share of the account's and the app's quotas; the schedule stretched to fit it).
 * Where the plugin reads the comments on all the account's posts in one call (`accountComments`, Weibo
 * comments/to_me), the post rows only record the posts and one inbox_account_poll row per account is
 * polled instead, at the pace of its youngest post: one call serves every post.
 */
/** Share of an account's daily post-list quota the inbox may spend (campaign detection lists too). */
export const INBOX_LISTING_SHARE = 0.25;
/** Native posts are looked for at most this often per account, however large the quota. */
const MIN_LISTING_INTERVAL = 3600_000;

/** Pages one poll of a post may read (each a platform call from the account's budget). */
const MAX_PAGES_PER_POLL = 5;

@Injectable()
export class PollingService {
  private readonly logger = new Logger('InboxPolling');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly port: InboxPlatformPort,
    private readonly ingest: IngestService,
  ) {}

  /** Posts published through Tongfa in the last 7 days without a poll row get one. */
  async discover(): Promise<number> {
    const now = this.clock.now();
    const rows = await this.ds
      .getRepository(PublicationTarget)
      .createQueryBuilder('t')
      .leftJoin(InboxPoll, 'p', 'p.accountId = t.accountId AND p.postRemoteId = t.remoteId')
      .where("t.state = 'published' AND t.remoteId IS NOT NULL AND t.publishedAt > :since AND p.id IS NULL", {
        since: new Date(now.getTime() - 7 * DAY),
      })
      .select(['t.accountId', 't.platform', 't.remoteId', 't.publishedAt'])
      .limit(BATCH)
      .getMany();
    let n = 0;
    for (const t of rows) {
      if (!this.port.interaction(t.platform)?.comments) continue;
      if (await this.watch(t.accountId, t.platform, t.remoteId!, t.publishedAt!)) n++;
    }
    return n;
  }

  /** Starts polling a post; false when it is already watched or too old. */
  async watch(accountId: string, platform: string, postRemoteId: string, postedAt: Date): Promise<boolean> {
    const next = nextPollAt(postedAt.getTime(), this.clock.now().getTime());
    if (next === null) return false;
    // Read through the account's row: the post's own row only records it (its age sets the account's pace).
    const perAccount = !!this.port.interaction(platform)?.comments?.accountComments;
    try {
      await this.ds.getRepository(InboxPoll).insert({
        id: newId(),
        accountId,
        platform,
        postRemoteId,
        postedAt,
        nextDueAt: perAccount ? null : new Date(next),
        lastPolledAt: null,
        seenUntil: null,
        calls: 0,
        lastError: null,
      });
      if (perAccount) await this.accountDue(accountId, platform, new Date(next));
      return true;
    } catch (e) {
      // The unique (account, post) key: another process watched it first.
      if (await this.ds.getRepository(InboxPoll).exists({ where: { accountId, postRemoteId } })) return false;
      throw e;
    }
  }

  /**
   * Native posts (made in the platform's app, outside Tongfa): every account whose plugin lists posts
   * and comments gets an inbox_listing row; when it is due, one listPosts call reads the last week's
   * posts and each gets a poll row (watch() skips posts already watched or older than the schedule).
   * A post Tongfa published is recognised by its URL, since a listed remoteId may differ from the one
   * publish returned (WeChat), and is left to the poll row discover() made for it.
   */
  @JobHandler('inbox.listing-sweep')
  async handleListingSweep(): Promise<{ listed: number; watched: number }> {
    const now = this.clock.now();
    const repo = this.ds.getRepository(InboxListing);
    const fresh = await this.ds
      .getRepository(Account)
      .createQueryBuilder('a')
      .leftJoin(InboxListing, 'l', 'l.accountId = a.id')
      .where('l.accountId IS NULL AND a.status IN (:...live)', { live: LIVE })
      .select(['a.id', 'a.platform'])
      .limit(BATCH)
      .getMany();
    for (const a of fresh) {
      const i = this.port.interaction(a.platform);
      const can = !!(i?.comments && i.postListing);
      try {
        await repo.insert({
          accountId: a.id,
          platform: a.platform,
          nextDueAt: can ? now : null,
          lastListedAt: null,
          calls: 0,
          lastError: null,
        });
      } catch {
        // Inserted by a concurrent sweep: the primary key is the account.
      }
    }
    // An account live again (a suspension lifted) resumes where it was parked below.
    const parked = await this.ds
      .getRepository(InboxListing)
      .createQueryBuilder('l')
      .innerJoin(Account, 'a', 'a.id = l.accountId AND a.status IN (:...live)', { live: LIVE })
      .where('l.nextDueAt IS NULL AND l.lastError LIKE :paused', { paused: `${PAUSED}%` })
      .select(['l.accountId'])
      .limit(BATCH)
      .getMany();
    if (parked.length) await repo.update({ accountId: In(parked.map((l) => l.accountId)) }, { nextDueAt: now, lastError: null });
    const due = await repo.find({ where: { nextDueAt: LessThanOrEqual(now) }, order: { nextDueAt: 'ASC' }, take: BATCH });
    const status = new Map(
      due.length
        ? (
            await this.ds
              .getRepository(Account)
              .find({ where: { id: In(due.map((r) => r.accountId)) }, select: { id: true, status: true } })
          ).map((a) => [a.id, a.status])
        : [],
    );
    let listed = 0;
    let watched = 0;
    for (const row of due) {
      const st = status.get(row.accountId);
      if (!st || !LIVE.includes(st)) {
        // A cancelled or suspended account (or one gone) is not listed, nor retried: parked until it is live again.
        await repo.update({ accountId: row.accountId }, { nextDueAt: null, lastError: `${PAUSED} account ${st ?? 'gone'}` });
        continue;
      }
      const i = this.port.interaction(row.platform);
      if (!i?.comments || !i.postListing) {
        await repo.update({ accountId: row.accountId }, { nextDueAt: null, lastError: 'plugin lists no posts or comments' });
        continue;
      }
      const calls = Math.max(1, Math.floor(i.postListing.dailyCallsPerAccount * INBOX_LISTING_SHARE));
      let next = now.getTime() + Math.max(MIN_LISTING_INTERVAL, Math.ceil(DAY / calls));
      let lastError: string | null = null;
      try {
        const page = await this.port.listPosts(row.accountId, { since: now.getTime() - 7 * DAY, limit: i.postListing.maxPageSize });
        listed++;
        const urls = page.posts.map((p) => p.url).filter(Boolean);
        const ours = new Set(
          urls.length
            ? (
                await this.ds.getRepository(PublicationTarget).find({
                  where: { accountId: row.accountId, url: In(urls) },
                  select: { url: true },
                })
              ).map((t) => t.url)
            : [],
        );
        for (const p of page.posts) {
          if (ours.has(p.url)) continue;
          if (await this.watch(row.accountId, row.platform, p.remoteId, new Date(p.publishedAt))) watched++;
        }
      } catch (e) {
        lastError = (isPluginError(e) ? e.message : String(e)).slice(0, 500);
        const retryAfter = (e as { retryAfterMs?: number }).retryAfterMs;
        if (retryAfter) next = Math.max(next, now.getTime() + retryAfter);
        this.logger.warn(`posts of ${row.accountId}: ${lastError}`);
      }
      await repo.update({ accountId: row.accountId }, { nextDueAt: new Date(next), lastListedAt: now, calls: row.calls + 1, lastError });
    }
    return { listed, watched };
  }

  @JobHandler('inbox.poll-sweep')
  async handlePollSweep(): Promise<{ discovered: number; polled: number; deferred: number }> {
    const discovered = await this.discover();
    const now = this.clock.now();
    const due = await this.ds.getRepository(InboxPoll).find({
      where: { nextDueAt: LessThanOrEqual(now) },
      order: { nextDueAt: 'ASC' },
      take: BATCH,
    });
    let polled = 0;
    let deferred = 0;
    const ids = [...new Set(due.map((p) => p.accountId))];
    const accounts = new Map((ids.length ? await this.ds.getRepository(Account).findBy({ id: In(ids) }) : []).map((a) => [a.id, a]));
    const ctx = await this.budgetContext(ids);
    for (const p of due) {
      const account = accounts.get(p.accountId);
      if (!account) {
        await this.ds.getRepository(InboxPoll).update({ id: p.id }, { nextDueAt: null, lastError: 'account gone' });
        continue;
      }
      if (!LIVE.includes(account.status)) {
        // No call for a cancelled or suspended account: the post's schedule moves on without it.
        const next = nextPollAt(p.postedAt.getTime(), now.getTime());
        await this.ds
          .getRepository(InboxPoll)
          .update({ id: p.id }, { nextDueAt: next === null ? null : new Date(next), lastError: `${PAUSED} account ${account.status}` });
        deferred++;
        continue;
      }
      if (await this.pollOne(account, p, ctx)) polled++;
      else deferred++;
    }
    const byAccount = await this.sweepAccounts(now);
    return { discovered, polled: polled + byAccount.polled, deferred: deferred + byAccount.deferred };
  }

  /**
   * Makes the account's row due by `at` at the latest (a post entering the window, a post row of an
   * account now read per account). The conditional UPDATE only brings a due time forward.
   */
  private async accountDue(accountId: string, platform: string, at: Date): Promise<void> {
    const repo = this.ds.getRepository(InboxAccountPoll);
    try {
      await repo.insert({
        accountId,
        platform,
        mark: null,
        readCursor: null,
        readMark: null,
        nextDueAt: at,
        lastPolledAt: null,
        calls: 0,
        lastError: null,
      });
      return;
    } catch {
      // The row exists (the primary key is the account): bring its due time forward below.
    }
    await repo
      .createQueryBuilder()
      .update()
      .set({ nextDueAt: at })
      .where('accountId = :accountId AND (nextDueAt IS NULL OR nextDueAt > :at)', { accountId, at })
      .execute();
  }

  /** Due account rows, one read each (a read may span a few pages, each a call from the budget). */
  private async sweepAccounts(now: Date): Promise<{ polled: number; deferred: number }> {
    const repo = this.ds.getRepository(InboxAccountPoll);
    const due = await repo.find({ where: { nextDueAt: LessThanOrEqual(now) }, order: { nextDueAt: 'ASC' }, take: BATCH });
    if (!due.length) return { polled: 0, deferred: 0 };
    const ids = due.map((r) => r.accountId);
    const accounts = new Map((await this.ds.getRepository(Account).findBy({ id: In(ids) })).map((a) => [a.id, a]));
    // The youngest post inside the window sets each account's pace (older rows are history).
    const newest = new Map<string, number>();
    const posts = await this.ds.getRepository(InboxPoll).find({
      where: { accountId: In(ids), postedAt: MoreThan(new Date(now.getTime() - 7 * DAY)) },
      select: { accountId: true, postedAt: true },
    });
    for (const p of posts) newest.set(p.accountId, Math.max(newest.get(p.accountId) ?? 0, p.postedAt.getTime()));
    const { accountsOnApp } = await this.budgetContext([]);
    let polled = 0;
    let deferred = 0;
    for (const row of due) {
      const account = accounts.get(row.accountId);
      if (!account || !LIVE.includes(account.status)) {
        // No call for a cancelled or suspended account (or one gone): its next post makes it due again.
        await repo.update({ accountId: row.accountId }, { nextDueAt: null, lastError: `${PAUSED} account ${account?.status ?? 'gone'}` });
        deferred++;
        continue;
      }
      if (await this.pollAccount(account, row, newest.get(row.accountId) ?? null, accountsOnApp.get(row.platform) ?? 1)) polled++;
      else deferred++;
    }
    return { polled, deferred };
  }

  /**
   * One read of the comments on all the account's posts: from the last finished read's mark (the first
   * read goes a week back), page by page within the day's budget and MAX_PAGES_PER_POLL; a read cut short
   * resumes from its cursor at the next poll and only a finished read moves the mark, so nothing is
   * skipped however large a burst. Then the next due time at the pace of the youngest post.
   */
  async pollAccount(account: Account, row: InboxAccountPoll, newestPost: number | null, accountsOnApp: number): Promise<boolean> {
    const now = this.clock.now();
    const repo = this.ds.getRepository(InboxAccountPoll);
    const i = this.port.interaction(row.platform);
    const comments = i?.comments;
    if (!comments?.accountComments) {
      await repo.update({ accountId: row.accountId }, { nextDueAt: null, lastError: 'plugin lists no comments per account' });
      return false;
    }
    const budget = dailyPollBudget({
      commentQuota: comments.dailyCallsPerAccount,
      rateLimits: i?.rateLimits ?? {
        perApp: { tokens: Number.MAX_SAFE_INTEGER, intervalMs: 1 },
        perAccount: { tokens: Number.MAX_SAFE_INTEGER, intervalMs: 1 },
      },
      accountsOnApp,
    });
    let spent = await this.spend(account.id, now, budget);
    if (spent === null) {
      await repo.update({ accountId: row.accountId }, { nextDueAt: new Date(nextLocalMidnight(now.getTime())) });
      return false;
    }
    let { mark, readCursor, readMark } = row;
    let lastError: string | null = null;
    let retryAfter = 0;
    let calls = 0;
    const since = mark ? undefined : now.getTime() - 7 * DAY;
    try {
      for (;;) {
        const page = await this.port.fetchAccountComments(account.id, {
          ...(mark ? { after: mark } : {}),
          ...(readCursor ? { cursor: readCursor } : {}),
          ...(since !== undefined ? { since } : {}),
        });
        calls++;
        if (!readCursor) readMark = page.mark ?? null;
        const byPost = new Map<string, PostComment[]>();
        for (const c of page.items) (byPost.get(c.postRemoteId) ?? byPost.set(c.postRemoteId, []).get(c.postRemoteId)!).push(c);
        for (const [post, items] of byPost) await this.ingest.ingestComments(account, post, items);
        if (!page.nextCursor) {
          // The read is whole: the next one asks for what is newer than its first page.
          mark = readMark ?? mark;
          readCursor = null;
          readMark = null;
          break;
        }
        readCursor = page.nextCursor;
        const more = calls >= MAX_PAGES_PER_POLL ? null : await this.spend(account.id, now, budget);
        if (more === null) {
          lastError = `more comments than ${calls} page(s) this time; the read resumes next time`;
          break;
        }
        spent = more;
      }
    } catch (e) {
      // The cursor still names the page that failed: the next poll asks for it again.
      lastError = (isPluginError(e) ? e.message : String(e)).slice(0, 500);
      retryAfter = (e as { retryAfterMs?: number }).retryAfterMs ?? 0;
      this.logger.warn(`comments of account ${account.id}: ${lastError}`);
    }
    // Read at the pace of the youngest post (stretched to the budget left); stop once it is a week old.
    let next: number | null = null;
    if (newestPost !== null) {
      const stretch = pollStretch([newestPost], now.getTime(), budget - spent);
      next = nextPollAt(newestPost, now.getTime(), stretch);
      if (next !== null && retryAfter) next = Math.max(next, now.getTime() + retryAfter);
    }
    await repo.update(
      { accountId: row.accountId },
      {
        mark,
        readCursor,
        readMark,
        nextDueAt: next === null ? null : new Date(next),
        lastPolledAt: now,
        calls: row.calls + Math.max(1, calls),
        lastError,
      },
    );
    return true;
  }

  /**
   * What the budgets of a sweep's accounts depend on, read once per sweep: the live accounts per platform
   * (sharing the app's quota) and the posts each account watches (the demand its schedule makes).
   */
  private async budgetContext(accountIds: string[]): Promise<BudgetContext> {
    const live = await this.ds
      .getRepository(Account)
      .createQueryBuilder('a')
      .select('a.platform', 'platform')
      .addSelect('COUNT(*)', 'n')
      .where('a.status IN (:...live)', { live: LIVE })
      .groupBy('a.platform')
      .getRawMany<{ platform: string; n: string | number }>();
    const watched = new Map<string, number[]>();
    if (accountIds.length) {
      const rows = await this.ds.getRepository(InboxPoll).find({
        where: { accountId: In(accountIds), nextDueAt: Not(IsNull()) },
        select: { accountId: true, postedAt: true },
      });
      for (const r of rows) (watched.get(r.accountId) ?? watched.set(r.accountId, []).get(r.accountId)!).push(r.postedAt.getTime());
    }
    return { accountsOnApp: new Map(live.map((r) => [r.platform, Number(r.n)])), watched };
  }

  /** One platform call for one post, if the account's budget allows; false when deferred to tomorrow. */
  async pollOne(account: Account, p: InboxPoll, ctx?: BudgetContext): Promise<boolean> {
    const now = this.clock.now();
    const i = this.port.interaction(p.platform);
    const comments = i?.comments;
    if (!comments) {
      await this.ds.getRepository(InboxPoll).update({ id: p.id }, { nextDueAt: null, lastError: 'plugin lists no comments' });
      return false;
    }
    if (comments.accountComments) {
      // A post row of an account now read per account (written before the plugin could): fold it in.
      await this.ds.getRepository(InboxPoll).update({ id: p.id }, { nextDueAt: null });
      await this.accountDue(account.id, p.platform, now);
      return false;
    }
    const c = ctx ?? (await this.budgetContext([account.id]));
    const budget = dailyPollBudget({
      commentQuota: comments.dailyCallsPerAccount,
      // A plugin that declares no rate limits is held to its comment quota alone.
      rateLimits: i.rateLimits ?? {
        perApp: { tokens: Number.MAX_SAFE_INTEGER, intervalMs: 1 },
        perAccount: { tokens: Number.MAX_SAFE_INTEGER, intervalMs: 1 },
      },
      accountsOnApp: c.accountsOnApp.get(p.platform) ?? 1,
    });
    let spent = await this.spend(account.id, now, budget);
    if (spent === null) {
      await this.ds.getRepository(InboxPoll).update({ id: p.id }, { nextDueAt: new Date(nextLocalMidnight(now.getTime())) });
      return false;
    }
    let lastError: string | null = null;
    let seenUntil = p.seenUntil;
    let calls = 1;
    try {
      // Newest first: page on until the list reaches what was seen, so a burst of more comments than a
      // page holds is read whole; each further page is one more call from the day's budget. Only a
      // list read to its end moves the mark (a burst cut short is read again from the top next time).
      const since = p.seenUntil?.getTime();
      let page = await this.port.fetchComments(account.id, p.postRemoteId, { since });
      let newest = since ?? 0;
      for (;;) {
        await this.ingest.ingestComments(account, p.postRemoteId, page.items);
        newest = Math.max(newest, ...page.items.map((c) => c.createdAt));
        if (!page.nextCursor) {
          if (newest > 0) seenUntil = new Date(newest);
          break;
        }
        const more = calls >= MAX_PAGES_PER_POLL ? null : await this.spend(account.id, now, budget);
        if (more === null) {
          lastError = `more comments than ${calls} page(s) this time; read again next time`;
          break;
        }
        spent = more;
        page = await this.port.fetchComments(account.id, p.postRemoteId, { since, cursor: page.nextCursor });
        calls++;
      }
    } catch (e) {
      lastError = (isPluginError(e) ? e.message : String(e)).slice(0, 500);
      this.logger.warn(`comments of ${p.postRemoteId} on ${account.id}: ${lastError}`);
    }
    // The account's watched posts together set the pace: stretched when they would outrun the budget.
    const stretch = pollStretch(c.watched.get(account.id) ?? [p.postedAt.getTime()], now.getTime(), budget - spent);
    const next = nextPollAt(p.postedAt.getTime(), now.getTime(), stretch);
    await this.ds
      .getRepository(InboxPoll)
      .update(
        { id: p.id },
        { nextDueAt: next === null ? null : new Date(next), lastPolledAt: now, seenUntil, calls: p.calls + calls, lastError },
      );
    return true;
  }

  /**
   * Counts one call against the account's budget for the Beijing day: the day's calls so far, or null
   * when it is spent. The increment is conditional on the count, so two sweeps cannot both take the last call.
   */
  private async spend(accountId: string, now: Date, budget: number): Promise<number | null> {
    const day = localDate(now);
    const repo = this.ds.getRepository(InboxPollBudget);
    if (!(await repo.exists({ where: { accountId, day } }))) {
      try {
        await repo.insert({ accountId, day, calls: 0 });
      } catch {
        // Created by a concurrent sweep.
      }
    }
    const r = await repo
      .createQueryBuilder()
      .update()
      .set({ calls: () => 'calls + 1' })
      .where('accountId = :accountId AND day = :day AND calls < :budget', { accountId, day, budget })
      .execute();
    if (!r.affected) return null;
    return (await repo.findOneBy({ accountId, day }))?.calls ?? budget;
  }
}

interface BudgetContext {
  accountsOnApp: Map<string, number>;
  watched: Map<string, number[]>;
}
