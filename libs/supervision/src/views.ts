import type { Message, Page } from '@tongfa/core';
import type { FindingResult, RectificationState, SnapshotState, StratumDerivation } from './entities';

export interface RoundView {
  id: string;
  rootUnitId: string;
  rootUnitName: string;
  period: string;
  ratio: number;
  minRatio: number;
  ruleSet: string;
  ruleSetVersion: string;
  seed: string;
  algorithm: string;
  population: number;
  sampled: number;
  strata: StratumDerivation[];
  requirements: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface FindingView {
  id: string;
  item: string;
  itemTitle: Message;
  result: FindingResult;
  source: 'monitoring' | 'checker';
  note: string;
  evidence: Record<string, unknown>;
  decidedBy: string | null;
  decidedAt: Date;
}

export interface SampleView {
  accountId: string;
  accountName: string;
  platform: string;
  unitId: string;
  unitName: string;
  unitLevel: string;
  stratum: string;
  snapshot: { state: SnapshotState; mediaId: string | null; takenAt: Date | null; pageUrl: string | null; error: string | null };
  findings: FindingView[];
}

export interface DerivationView {
  algorithm: string;
  description: string;
  seed: string;
  ratio: number;
  /** Each stratum's size and how many were drawn; the members are listed by GET /spot-checks/:id/population. */
  strata: { key: string; platform: string; level: string; size: number; drawn: number }[];
  /** Drawing again from the recorded population gave the stored sample. */
  verified: boolean;
}

export interface RoundDetailView extends RoundView {
  checklist: { id: string; kind: string; title: Message; deadlineDays: number }[];
  derivation: DerivationView;
  /** One page of the drawn accounts (`?page=&pageSize=`), in unit order. */
  sample: Page<SampleView>;
}

/** One account of a round's population, as the sample was drawn from it. */
export interface PopulationMemberView {
  accountId: string;
  platform: string;
  level: string;
  stratum: string;
  drawn: boolean;
}

export interface RectificationView {
  id: string;
  roundId: string;
  period: string | null;
  findingId: string;
  accountId: string;
  accountName: string | null;
  platform: string | null;
  unitId: string;
  unitName: string | null;
  item: string;
  problem: string;
  state: RectificationState;
  deadline: Date;
  /** Open past its deadline (against the hub's clock). */
  overdue: boolean;
  /** Calendar days past the deadline while open, or by which the answer came late. */
  daysLate: number;
  /** The unit answered after the deadline. */
  answeredLate: boolean;
  response: { text: string; urls: string[]; mediaIds: string[]; respondedAt: Date; respondedBy: string | null } | null;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  reviewNote: string | null;
  reopened: number;
  createdAt: Date;
}
