import { Assignment, AssignmentState, ASSIGNMENT_STATES, Campaign, CampaignStatus, CompletionKind, ExemptionStatus } from './entities';

export type StateCounts = Record<AssignmentState, number> & { total: number };

export function emptyCounts(): StateCounts {
  return { total: 0, pending: 0, accepted: 0, done: 0, done_late: 0, overdue: 0, exempted: 0, not_applicable: 0 };
}

/** Adds `n` rows of `state`; unknown states (a newer writer) count in the total only. */
export function addCount(c: StateCounts, state: string, n: number): StateCounts {
  c.total += n;
  if ((ASSIGNMENT_STATES as readonly string[]).includes(state)) c[state as AssignmentState] += n;
  return c;
}

export interface CampaignView {
  id: string;
  title: string;
  instructions: string;
  issuerUnitId: string;
  issuerUnitName: string;
  source: { manuscriptId: string; publicationId: string | null; title: string; url: string | null };
  platforms: string[];
  deadline: Date;
  reminders: number[];
  allowAdaptation: boolean;
  status: CampaignStatus;
  createdAt: Date;
  closedAt: Date | null;
  counts: StateCounts;
}

export interface RelayView {
  assignmentId: string;
  unitId: string;
  unitName: string;
  platform: string;
  publicationId: string | null;
  /** The relay target's state, `native` for a repost made outside Tongfa (ask the unit), `pending` before it exists. */
  state: string;
  retractable: boolean;
  url: string | null;
}

export interface CampaignDetailView extends CampaignView {
  relays: RelayView[];
}

export function campaignView(c: Campaign, issuerUnitName: string, counts: StateCounts): CampaignView {
  return {
    id: c.id,
    title: c.title,
    instructions: c.instructions,
    issuerUnitId: c.unitId,
    issuerUnitName,
    source: { manuscriptId: c.sourceManuscriptId, publicationId: c.sourcePublicationId, title: c.sourceTitle, url: c.sourceUrl },
    platforms: c.platforms,
    deadline: c.deadline,
    reminders: c.reminders,
    allowAdaptation: c.allowAdaptation,
    status: c.status,
    createdAt: c.createdAt,
    closedAt: c.closedAt,
    counts,
  };
}

export interface AssignmentView {
  id: string;
  campaignId: string;
  campaign: {
    title: string;
    deadline: Date;
    instructions: string;
    issuerUnitName: string;
    allowAdaptation: boolean;
    status: CampaignStatus;
  };
  unitId: string;
  unitName: string;
  platform: string;
  accountId: string | null;
  accountName: string | null;
  state: AssignmentState;
  acceptedAt: Date | null;
  completedAt: Date | null;
  completion: CompletionKind | null;
  url: string | null;
  minutesLate: number | null;
  reminders: number;
  manuscriptId: string | null;
  publicationId: string | null;
  exemption: null | { reason: string; status: ExemptionStatus; decidedAt: Date | null; comment: string | null };
}

/**
 * Minutes past the deadline: of the completion for a late one, of `now` for one still overdue;
 * null when it was on time or is not due yet.
 */
export function minutesLate(a: Pick<Assignment, 'state' | 'deadline' | 'completedAt'>, now: Date): number | null {
  const end = a.state === 'done_late' ? a.completedAt : a.state === 'overdue' ? now : null;
  if (!end) return null;
  return Math.max(0, Math.round((end.getTime() - a.deadline.getTime()) / 60_000));
}

export function assignmentView(
  a: Assignment,
  c: Campaign,
  names: { unit: (id: string) => string; account: (id: string) => string | null; issuer: string },
  now: Date,
): AssignmentView {
  return {
    id: a.id,
    campaignId: a.campaignId,
    campaign: {
      title: c.title,
      deadline: c.deadline,
      instructions: c.instructions,
      issuerUnitName: names.issuer,
      allowAdaptation: c.allowAdaptation,
      status: c.status,
    },
    unitId: a.unitId,
    unitName: names.unit(a.unitId),
    platform: a.platform,
    accountId: a.accountId,
    accountName: a.accountId ? names.account(a.accountId) : null,
    state: a.state,
    acceptedAt: a.acceptedAt,
    completedAt: a.completedAt,
    completion: a.completion,
    url: a.url,
    minutesLate: minutesLate(a, now),
    reminders: a.reminders,
    manuscriptId: a.manuscriptId,
    publicationId: a.publicationId,
    exemption:
      a.exemptionStatus && a.exemptionReason !== null
        ? { reason: a.exemptionReason, status: a.exemptionStatus, decidedAt: a.exemptionDecidedAt, comment: a.exemptionComment }
        : null,
  };
}
