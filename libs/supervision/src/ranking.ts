/**
 * The ranking formula, pure and versioned: a change of any weight, target or rule bumps the version.
 *
 * `tongfa-rank/2026.1`, over an account's daily activity rows of the period (Asia/Shanghai days) and
 * its current inspection states, four parts in [0, 1] weighted to 100, then veto penalties:
 * - activity (30): days with at least one post ÷ days of the period;
 * - volume (20): posts ÷ (days × 1 post a day), capped at 1;
 * - timeliness (25): 1 − longest run of days without a post in the period ÷ 14 (the veto's silence), floor 0;
 * - interaction (25): (likes + comments) ÷ reads ÷ 3%, capped at 1 — only where the platform gives
 *   reads; without them the part is left out and the others are scaled to 100 (`interaction` null);
 * - veto penalty: 30 points per veto rule in breach now (严重表述错误, 两周未更新, 无有效互动); the
 *   score never goes below 0. Scores are rounded to one decimal; ties rank by account id.
 */
export const RANKING_FORMULA_VERSION = 'tongfa-rank/2026.1';

export const RANKING_WEIGHTS = { activity: 30, volume: 20, timeliness: 25, interaction: 25 } as const;
export const VETO_PENALTY = 30;
export const SILENCE_SPAN_DAYS = 14;
export const INTERACTION_TARGET = 0.03;

export interface RankingDay {
  /** `YYYY-MM-DD`. */
  day: string;
  posts: number;
  reads: number | null;
  likes: number | null;
  comments: number | null;
}

export interface RankingInputs {
  days: number;
  activeDays: number;
  posts: number;
  longestSilence: number;
  reads: number | null;
  engagements: number | null;
  vetoBreaches: string[];
}

export interface RankingParts {
  activity: number;
  volume: number;
  timeliness: number;
  interaction: number | null;
  penalty: number;
}

/** The inputs of one account over the period's days (missing days count as no post). */
export function rankingInputs(periodDays: string[], rows: RankingDay[], vetoBreaches: string[]): RankingInputs {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  let active = 0;
  let posts = 0;
  let run = 0;
  let longest = 0;
  let reads: number | null = null;
  let engagements: number | null = null;
  for (const d of periodDays) {
    const r = byDay.get(d);
    const n = r?.posts ?? 0;
    posts += n;
    if (n > 0) {
      active++;
      run = 0;
    } else {
      run++;
      longest = Math.max(longest, run);
    }
    if (r?.reads != null) {
      reads = (reads ?? 0) + r.reads;
      engagements = (engagements ?? 0) + (r.likes ?? 0) + (r.comments ?? 0);
    }
  }
  return {
    days: periodDays.length,
    activeDays: active,
    posts,
    longestSilence: longest,
    reads,
    engagements,
    vetoBreaches: [...vetoBreaches].sort(),
  };
}

const clamp = (x: number) => Math.max(0, Math.min(1, x));

export function rankingScore(i: RankingInputs): { score: number; parts: RankingParts } {
  const activity = i.days ? clamp(i.activeDays / i.days) : 0;
  const volume = i.days ? clamp(i.posts / i.days) : 0;
  const timeliness = clamp(1 - i.longestSilence / SILENCE_SPAN_DAYS);
  const interaction = i.reads && i.reads > 0 ? clamp((i.engagements ?? 0) / i.reads / INTERACTION_TARGET) : null;
  const w = RANKING_WEIGHTS;
  const weight = w.activity + w.volume + w.timeliness + (interaction === null ? 0 : w.interaction);
  const raw = activity * w.activity + volume * w.volume + timeliness * w.timeliness + (interaction ?? 0) * w.interaction;
  const penalty = i.vetoBreaches.length * VETO_PENALTY;
  const score = Math.max(0, Math.round(((raw / weight) * 100 - penalty) * 10) / 10);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    score,
    parts: {
      activity: r3(activity),
      volume: r3(volume),
      timeliness: r3(timeliness),
      interaction: interaction === null ? null : r3(interaction),
      penalty,
    },
  };
}
