import type { RateLimit } from '@tongfa/plugin-sdk';
import { nextLocalMidnight, nextPollAt } from './poll-schedule';

/**
 * The comment poller's budget policy (documented in the README, "Comment polling within quotas").
 *
 * A platform's quotas belong to more than the inbox: publishing, the post listing, campaign detection
 * and any other system holding the account's credentials spend the same ones. So the inbox spends at
 * most a share of each:
 *
 * - per account and Beijing day: `INBOX_QUOTA_SHARE` of the smaller of the manifest's comment-list quota
 *   (`interaction.comments.dailyCallsPerAccount`) and its per-account rate limit over a day;
 * - per app (the hub's registration on the platform, one bucket the plugin host shares among all its
 *   accounts): `INBOX_APP_SHARE` of `rateLimits.perApp` over a day, divided among the platform's live
 *   accounts, so 10,000 accounts on one app do not drain it for publishing.
 *
 * The account's budget is the smaller of the two. When the decay schedule of the account's watched posts
 * would cost more calls before the quota's reset (Beijing midnight) than are left of today's budget
 * (Weibo: 66 calls per post against 15 a day), every interval is stretched just enough to fit, so the
 * budget lasts the day instead of running out in the morning. A counter per account and day
 * (conditional increment) is the hard cap behind it: a poll that meets a spent budget waits for the reset.
 * Where a platform lists the comments on all of an account's posts in one call (Weibo comments/to_me,
 * `accountComments`), the same budget and stretch apply to the account's one schedule, paced by its
 * youngest post (polling.service.ts pollAccount).
 */
export const INBOX_QUOTA_SHARE = 0.5;
/** Share of the app-wide rate limit the inbox may spend on polling (the rest is publishing's). */
export const INBOX_APP_SHARE = 0.5;

const DAY = 86_400_000;

/** Calls a token bucket allows over a day. */
export function perDay(limit: RateLimit): number {
  return Math.floor((limit.tokens * DAY) / limit.intervalMs);
}

export interface BudgetInputs {
  /** interaction.comments.dailyCallsPerAccount */
  commentQuota: number;
  rateLimits: { perApp: RateLimit; perAccount: RateLimit };
  /** Live accounts of the platform sharing the app (at least 1). */
  accountsOnApp: number;
}

/** Comment-list calls one account may make per Beijing day (at least 1). */
export function dailyPollBudget(x: BudgetInputs): number {
  const account = Math.floor(Math.min(x.commentQuota, perDay(x.rateLimits.perAccount)) * INBOX_QUOTA_SHARE);
  const app = Math.floor((perDay(x.rateLimits.perApp) * INBOX_APP_SHARE) / Math.max(1, x.accountsOnApp));
  return Math.max(1, Math.min(account, app));
}

/** Polls the schedule, stretched by `stretch`, makes in [now, until) for posts published at `postedAts`. */
export function pollDemand(postedAts: readonly number[], now: number, until: number, stretch = 1): number {
  let n = 0;
  for (const p of postedAts) {
    let t: number | null = now;
    while ((t = nextPollAt(p, t, stretch)) !== null && t < until) n++;
  }
  return n;
}

/**
 * The smallest interval multiplier (in steps of a quarter) whose schedule fits the rest of the quota day
 * (to the next Beijing midnight) of the account's watched posts into the `left` calls of today's budget:
 * 1 when the plain schedule fits. Recomputed at every poll, so an account that overspent early slows
 * down for the rest of the day, and a new day starts from the full budget again.
 */
export function pollStretch(postedAts: readonly number[], now: number, left: number): number {
  const until = nextLocalMidnight(now);
  const fits = (f: number) => pollDemand(postedAts, now, until, f) <= Math.max(0, left);
  if (fits(1)) return 1;
  let lo = 1;
  let hi = 2;
  while (!fits(hi) && hi < 1024) [lo, hi] = [hi, hi * 2];
  // Demand falls as the stretch grows (not strictly, but near enough for a bisection to a quarter).
  while (hi - lo > 0.25) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
