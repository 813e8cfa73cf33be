import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, EntityManager, In, LessThan, LessThanOrEqual } from 'typeorm';
import { Clock } from '@tongfa/core';
import { Account, AccountConnection } from '@tongfa/accounts';
import { PublicationTarget } from '@tongfa/publishing';
import { PluginCallError, PluginHost, PluginRegistry } from '@tongfa/plugins';
import { JobHandler } from '@tongfa/jobs';
import { ActivityDay, MonitoredAccount, PostSource } from './entities';
import { addDays, localDay, localDayStart, localDaysBetween, weekOf } from './local-day';
import { MeasuredActivity, MONITORED_STATUSES, RuleEvaluationService } from './rule-evaluation.service';
import { silenceStart } from './rules';
import { upsertRows } from './upsert';

/** Accounts rolled up per transaction; the whole due set is worked through per sweep. */
const BATCH = 500;
const LIST_CONCURRENCY = 8;
/** A roll-up reads back at most this many days (an account left out for longer restarts here). */
const MAX_WINDOW_DAYS = 14;
/** Daily rows are kept this long, then folded into weekly rows (see ActivityDay). */
export const ACTIVITY_DAILY_RETENTION_DAYS = 400;

interface Post {
  at: Date;
  url: string | null;
  source: PostSource;
}

export interface RollupResult {
  enrolled: number;
  rolledUp: number;
  listCalls: number;
  listFailures: number;
  dayRows: number;
  folded: number;
}

/**
 * 账号活跃度: the daily roll-up. Each monitored account has a summary row that is due once a local
 * day; the sweep counts the account's posts through Tongfa (publication targets that were published)
 * and, through the plugin's post listing, the posts made natively in the platform's app (one
 * listPosts call per account per day, drawn from the same per-account quota bucket the host keeps for
 * campaign detection), writes one row per day, updates the summary and evaluates the rules.
 */
@Injectable()
export class ActivityRollupService {
  private readonly logger = new Logger('ActivityRollup');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly host: PluginHost,
    private readonly registry: PluginRegistry,
    private readonly rules: RuleEvaluationService,
  ) {}

  @JobHandler('monitoring.activity-sweep')
  async handleActivitySweep(): Promise<RollupResult> {
    const result: RollupResult = { enrolled: await this.enroll(), rolledUp: 0, listCalls: 0, listFailures: 0, dayRows: 0, folded: 0 };
    for (;;) {
      const due = await this.ds.getRepository(MonitoredAccount).find({
        where: { nextRollupAt: LessThanOrEqual(this.clock.now()) },
        order: { nextRollupAt: 'ASC', accountId: 'ASC' },
        take: BATCH,
      });
      if (!due.length) break;
      await this.rollUp(due, result);
      if (due.length < BATCH) break;
    }
    return result;
  }

  /** Gives each monitored account without one a summary row, due now; drops rows of closed accounts. */
  private async enroll(): Promise<number> {
    let n = 0;
    for (;;) {
      const missing = await this.ds
        .getRepository(Account)
        .createQueryBuilder('a')
        .leftJoin(MonitoredAccount, 'm', 'm.accountId = a.id')
        .where('m.accountId IS NULL AND a.status IN (:...st)', { st: MONITORED_STATUSES })
        .select(['a.id', 'a.unitId', 'a.unitPath', 'a.platform', 'a.lastPostAt'])
        .take(BATCH)
        .getMany();
      if (!missing.length) break;
      const now = this.clock.now();
      await upsertRows(
        this.ds.manager,
        MonitoredAccount,
        missing.map((a) =>
          this.ds.manager.create(MonitoredAccount, {
            accountId: a.id,
            unitId: a.unitId,
            unitPath: a.unitPath,
            platform: a.platform,
            lastPostAt: a.lastPostAt,
            lastPostUrl: null,
            lastPostSource: a.lastPostAt ? 'tongfa' : null,
            silentDays: 0,
            postsLast7Days: 0,
            worstState: 'unknown',
            riskRank: 1,
            rolledUpAt: null,
            countedUntil: null,
            nextRollupAt: now,
            listError: null,
          }),
        ),
        ['nextRollupAt'],
        ['accountId'],
      );
      n += missing.length;
      if (missing.length < BATCH) break;
    }
    return n;
  }

  private async rollUp(due: MonitoredAccount[], result: RollupResult): Promise<void> {
    const now = this.clock.now();
    const today = localDay(now);
    const accounts = await this.ds.getRepository(Account).find({ where: { id: In(due.map((d) => d.accountId)) } });
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const gone = due.filter((d) => !MONITORED_STATUSES.includes(byId.get(d.accountId)?.status as never));
    const live = due.filter((d) => !gone.includes(d));
    // Recount whole local days from the day the last roll-up stopped in, so a day's row is complete.
    const fromOf = (d: MonitoredAccount) => {
      const oldest = addDays(today, -MAX_WINDOW_DAYS);
      const day = d.countedUntil ? localDay(d.countedUntil) : oldest;
      return localDayStart(day < oldest ? oldest : day);
    };
    const earliest = new Date(Math.min(...live.map((d) => fromOf(d).getTime()), now.getTime()));
    const targets = live.length
      ? await this.ds
          .getRepository(PublicationTarget)
          .createQueryBuilder('t')
          .select(['t.accountId', 't.publishedAt', 't.url', 't.remoteId'])
          .where('t.accountId IN (:...ids) AND t.publishedAt >= :from', {
            ids: live.map((d) => d.accountId),
            from: new Date(earliest.getTime() - 86_400_000),
          })
          .getMany()
      : [];
    const posts = new Map<string, Post[]>(live.map((d) => [d.accountId, []]));
    const ours = new Map<string, Set<string>>();
    const rowOf = new Map(live.map((d) => [d.accountId, d]));
    for (const t of targets) {
      const own = ours.get(t.accountId) ?? ours.set(t.accountId, new Set()).get(t.accountId)!;
      if (t.url) own.add(t.url);
      if (t.remoteId) own.add(t.remoteId);
      const row = rowOf.get(t.accountId)!;
      if (t.publishedAt! >= fromOf(row)) posts.get(t.accountId)!.push({ at: t.publishedAt!, url: t.url, source: 'tongfa' });
    }
    const listErrors = await this.listNative(live, byId, fromOf, ours, posts, result);

    await this.ds.transaction(async (m) => {
      const days: ActivityDay[] = [];
      const measured = new Map<string, MeasuredActivity>();
      for (const d of live) {
        const a = byId.get(d.accountId)!;
        const mine = posts.get(d.accountId)!.sort((x, y) => x.at.getTime() - y.at.getTime());
        const perDay = new Map<string, Post[]>();
        for (const p of mine) {
          const k = localDay(p.at);
          (perDay.get(k) ?? perDay.set(k, []).get(k)!).push(p);
        }
        for (let day = localDay(fromOf(d)); day <= today; day = addDays(day, 1)) {
          const of = perDay.get(day) ?? [];
          const last = of.at(-1);
          days.push(
            m.create(ActivityDay, {
              accountId: a.id,
              day,
              days: 1,
              unitId: a.unitId,
              unitPath: a.unitPath,
              platform: a.platform,
              postsTongfa: of.filter((p) => p.source === 'tongfa').length,
              postsNative: of.filter((p) => p.source === 'native').length,
              lastPostAt: last?.at ?? null,
              lastPostUrl: last?.url ?? null,
              lastPostSource: last?.source ?? null,
              followers: null,
              reads: null,
              likes: null,
              comments: null,
            }),
          );
        }
        const newest = mine.at(-1);
        if (newest && (!d.lastPostAt || newest.at > d.lastPostAt)) {
          d.lastPostAt = newest.at;
          d.lastPostUrl = newest.url;
          d.lastPostSource = newest.source;
        }
      }
      // The metrics columns belong to the later `metrics` capability: a recount leaves them alone.
      await upsertRows(
        m,
        ActivityDay,
        days,
        ['unitId', 'unitPath', 'platform', 'postsTongfa', 'postsNative', 'lastPostAt', 'lastPostUrl', 'lastPostSource'],
        ['accountId', 'day'],
      );
      result.dayRows += days.length;
      const since = addDays(today, -13);
      const recent = live.length
        ? await m.find(ActivityDay, {
            where: { accountId: In(live.map((d) => d.accountId)), day: Between(since, today) },
            select: { accountId: true, day: true, postsTongfa: true, postsNative: true },
          })
        : [];
      const byAccount = new Map<string, Record<string, number>>();
      for (const r of recent)
        (byAccount.get(r.accountId) ?? byAccount.set(r.accountId, {}).get(r.accountId)!)[r.day] = r.postsTongfa + r.postsNative;
      for (const d of live) {
        const postsByDay = byAccount.get(d.accountId) ?? {};
        measured.set(d.accountId, { lastPostAt: d.lastPostAt, lastPostUrl: d.lastPostUrl, lastPostSource: d.lastPostSource, postsByDay });
      }
      const liveAccounts = live.map((d) => byId.get(d.accountId)!);
      const evaluated = await this.rules.evaluate(m, liveAccounts, measured, now);
      const week = Array.from({ length: 7 }, (_, i) => addDays(today, -i));
      await upsertRows(
        m,
        MonitoredAccount,
        live.map((d) => {
          const a = byId.get(d.accountId)!;
          const e = evaluated.get(d.accountId)!;
          const byDay = measured.get(d.accountId)!.postsByDay;
          return m.create(MonitoredAccount, {
            ...d,
            unitId: a.unitId,
            unitPath: a.unitPath,
            platform: a.platform,
            silentDays: localDaysBetween(silenceStart(d.lastPostAt, a), now),
            postsLast7Days: week.reduce((n, day) => n + (byDay[day] ?? 0), 0),
            worstState: e.worst,
            riskRank: e.rank,
            rolledUpAt: now,
            countedUntil: now,
            // Due again when the next local day begins. The sweep paces that moment's work itself (batches of
            // 500, eight listing lanes), and the host's buckets hold each platform's call rates.
            nextRollupAt: localDayStart(addDays(today, 1)),
            listError: listErrors.get(d.accountId) ?? null,
          });
        }),
        [
          'unitId',
          'unitPath',
          'platform',
          'lastPostAt',
          'lastPostUrl',
          'lastPostSource',
          'silentDays',
          'postsLast7Days',
          'worstState',
          'riskRank',
          'rolledUpAt',
          'countedUntil',
          'nextRollupAt',
          'listError',
        ],
        ['accountId'],
      );
      if (gone.length) {
        const ids = gone.map((d) => d.accountId);
        await m.delete(MonitoredAccount, { accountId: In(ids) });
        await m.query(
          `DELETE FROM ${m.connection.driver.escape('monitoring_rule_state')} WHERE ${m.connection.driver.escape('accountId')} IN (${ids.map(() => '?').join(',')})`,
          ids,
        );
      }
      result.folded += await this.fold(
        m,
        live.map((d) => d.accountId),
        today,
      );
    });
    result.rolledUp += live.length;
  }

  /** One listPosts call per account that can list; a failure leaves the day to Tongfa's own posts. */
  private async listNative(
    live: MonitoredAccount[],
    byId: Map<string, Account>,
    fromOf: (d: MonitoredAccount) => Date,
    ours: Map<string, Set<string>>,
    posts: Map<string, Post[]>,
    result: RollupResult,
  ): Promise<Map<string, string>> {
    const errors = new Map<string, string>();
    const listable = live.filter((d) => {
      const a = byId.get(d.accountId)!;
      const p = this.registry.get(a.platform);
      if (!p?.manifest.capabilities.includes('listPosts') || !p.manifest.postListing) return false;
      // The day then counts Tongfa's own posts only; the list says why natives may be missing.
      if (a.connection === AccountConnection.NeedsReauth)
        errors.set(a.id, '账号授权已失效，无法读取平台内直接发布的内容 / needs re-authorisation: native posts not read');
      return a.connection === AccountConnection.Connected;
    });
    let next = 0;
    const lane = async () => {
      while (next < listable.length) {
        const d = listable[next++]!;
        const listing = this.registry.get(d.platform)?.manifest.postListing;
        result.listCalls++;
        try {
          const page = await this.host.listPosts(d.accountId, { since: fromOf(d).getTime(), limit: listing?.maxPageSize });
          const own = ours.get(d.accountId) ?? new Set<string>();
          const seen = new Set<string>();
          for (const p of page.posts) {
            // Posts made through Tongfa are counted from their targets; the listing adds only the rest.
            if (seen.has(p.remoteId) || own.has(p.remoteId) || own.has(p.url)) continue;
            seen.add(p.remoteId);
            if (p.publishedAt >= fromOf(d).getTime())
              posts.get(d.accountId)!.push({ at: new Date(p.publishedAt), url: p.url, source: 'native' });
          }
        } catch (e) {
          if (!(e instanceof PluginCallError)) throw e;
          result.listFailures++;
          errors.set(d.accountId, e.message.slice(0, 500));
          this.logger.warn(`listPosts of ${d.accountId} failed: ${e.message}`);
        }
      }
    };
    // The embedded SQLite file has one connection, whose transactions must not interleave.
    const lanes = this.ds.options.type === 'better-sqlite3' ? 1 : LIST_CONCURRENCY;
    await Promise.all(Array.from({ length: Math.min(lanes, listable.length) }, lane));
    return errors;
  }

  /**
   * Folds the accounts' daily rows older than the retention into one row per ISO week (see
   * ActivityDay). Safe to repeat: a week's daily rows are replaced by its row in one transaction.
   */
  private async fold(m: EntityManager, ids: string[], today: string): Promise<number> {
    if (!ids.length) return 0;
    const cutoff = weekOf(addDays(today, -ACTIVITY_DAILY_RETENTION_DAYS));
    const old = await m.find(ActivityDay, { where: { accountId: In(ids), days: 1, day: LessThan(cutoff) } });
    if (!old.length) return 0;
    const weeks = new Map<string, ActivityDay>();
    for (const r of old) {
      const key = `${r.accountId}\u0000${weekOf(r.day)}`;
      const w =
        weeks.get(key) ??
        weeks
          .set(
            key,
            m.create(ActivityDay, {
              ...r,
              day: weekOf(r.day),
              days: 7,
              postsTongfa: 0,
              postsNative: 0,
              lastPostAt: null,
              lastPostUrl: null,
              lastPostSource: null,
              reads: null,
              likes: null,
              comments: null,
            }),
          )
          .get(key)!;
      w.postsTongfa += r.postsTongfa;
      w.postsNative += r.postsNative;
      if (r.lastPostAt && (!w.lastPostAt || r.lastPostAt > w.lastPostAt))
        Object.assign(w, { lastPostAt: r.lastPostAt, lastPostUrl: r.lastPostUrl, lastPostSource: r.lastPostSource });
      // The week keeps the last day's metrics (followers are a level, not a sum).
      if (r.followers !== null) w.followers = r.followers;
    }
    for (const r of old) await m.delete(ActivityDay, { accountId: r.accountId, day: r.day });
    await upsertRows(
      m,
      ActivityDay,
      [...weeks.values()],
      ['days', 'postsTongfa', 'postsNative', 'lastPostAt', 'lastPostUrl', 'lastPostSource', 'followers'],
      ['accountId', 'day'],
    );
    return old.length;
  }
}
