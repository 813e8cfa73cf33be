import { isWorkday, localDate } from '@tongfa/core';

/**
 * 值班表 resolution, pure: given a unit's layers and overrides, who is on duty at an instant and why.
 * Beijing time has no daylight saving (since 1991), so a local day is always 24 hours and handoffs
 * are computed with a fixed UTC+8 offset.
 */
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const MIN_MS = 60_000;

export type Rotation = 'daily' | 'weekly';
/** Which duty days a layer covers: every day, only workdays (skips statutory holidays, keeps 调休 workdays), or only rest days. */
export type LayerDays = 'all' | 'workdays' | 'restdays';

export interface DutyLayer {
  name: string;
  /** The rotation, in order; the first takes the shift that starts at `startDate` `handoff`. */
  userIds: string[];
  rotation: Rotation;
  /** Local `HH:MM` (Asia/Shanghai) at which one shift hands off to the next. */
  handoff: string;
  /** Local `YYYY-MM-DD` of the first shift; before it the layer covers nothing. */
  startDate: string;
  days: LayerDays;
}

export interface DutyOverrideSpan {
  id: string;
  userId: string;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

export type OnCallSource =
  | { kind: 'override'; overrideId: string }
  | { kind: 'layer'; layer: number; name: string; shiftStart: Date; shiftEnd: Date }
  | { kind: 'gap' };

export interface OnCall {
  userId: string | null;
  source: OnCallSource;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isHandoff(s: string): boolean {
  return HHMM.test(s);
}

export function isLocalDate(s: string): boolean {
  return DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

function handoffMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The instant the first shift of the layer begins. */
function anchor(layer: DutyLayer): number {
  return Date.parse(`${layer.startDate}T00:00:00Z`) - OFFSET_MS + handoffMinutes(layer.handoff) * MIN_MS;
}

/**
 * The layer's shift at `t`, or null when the layer covers nobody then (not started, or the duty day
 * is of the kind the layer skips). A duty day runs from one handoff to the next, so with a 09:00
 * handoff the night before a holiday still belongs to the workday it started on.
 */
export function layerShift(layer: DutyLayer, t: Date): { userId: string; start: Date; end: Date } | null {
  if (layer.userIds.length === 0) return null;
  const a = anchor(layer);
  const at = t.getTime();
  if (at < a) return null;
  if (layer.days !== 'all') {
    const dutyDay = localDate(at - handoffMinutes(layer.handoff) * MIN_MS);
    if (isWorkday(dutyDay) !== (layer.days === 'workdays')) return null;
  }
  const len = layer.rotation === 'weekly' ? 7 * DAY_MS : DAY_MS;
  const k = Math.floor((at - a) / len);
  return { userId: layer.userIds[k % layer.userIds.length]!, start: new Date(a + k * len), end: new Date(a + (k + 1) * len) };
}

/**
 * Exactly one person, or a reported gap: the override in force wins (the latest made when several
 * overlap), else the highest layer covering the instant (layers later in the list sit above
 * earlier ones), else a gap.
 */
export function resolveOnCall(layers: readonly DutyLayer[], overrides: readonly DutyOverrideSpan[], t: Date): OnCall {
  const at = t.getTime();
  const active = overrides
    .filter((o) => o.startsAt.getTime() <= at && at < o.endsAt.getTime())
    .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : -1));
  if (active[0]) return { userId: active[0].userId, source: { kind: 'override', overrideId: active[0].id } };
  for (let i = layers.length - 1; i >= 0; i--) {
    const s = layerShift(layers[i]!, t);
    if (s)
      return { userId: s.userId, source: { kind: 'layer', layer: i + 1, name: layers[i]!.name, shiftStart: s.start, shiftEnd: s.end } };
  }
  return { userId: null, source: { kind: 'gap' } };
}

export interface DutySegment extends OnCall {
  from: Date;
  to: Date;
}

/**
 * Who was on duty across [from, to): the resolution at every instant where it can change (each
 * local day's handoffs, override edges), merged where the same person holds it for the same reason.
 */
export function dutySegments(layers: readonly DutyLayer[], overrides: readonly DutyOverrideSpan[], from: Date, to: Date): DutySegment[] {
  const a = from.getTime();
  const b = to.getTime();
  const edges = new Set<number>([a]);
  for (const o of overrides) for (const e of [o.startsAt.getTime(), o.endsAt.getTime()]) if (e > a && e < b) edges.add(e);
  const firstDay = Math.floor((a + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
  for (const l of layers) {
    const h = handoffMinutes(l.handoff) * MIN_MS;
    // Bounded by the range (callers cap it); one edge per local day per layer.
    for (let d = firstDay; d + h < b; d += DAY_MS) if (d + h > a) edges.add(d + h);
  }
  const sorted = [...edges].sort((x, y) => x - y);
  const out: DutySegment[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const t0 = sorted[i]!;
    const t1 = sorted[i + 1] ?? b;
    const r = resolveOnCall(layers, overrides, new Date(t0));
    const prev = out[out.length - 1];
    if (prev && prev.userId === r.userId && sameSource(prev.source, r.source)) prev.to = new Date(t1);
    else out.push({ ...r, from: new Date(t0), to: new Date(t1) });
  }
  return out;
}

function sameSource(x: OnCallSource, y: OnCallSource): boolean {
  if (x.kind !== y.kind) return false;
  if (x.kind === 'override' && y.kind === 'override') return x.overrideId === y.overrideId;
  if (x.kind === 'layer' && y.kind === 'layer') return x.layer === y.layer && x.shiftStart.getTime() === y.shiftStart.getTime();
  return true;
}
