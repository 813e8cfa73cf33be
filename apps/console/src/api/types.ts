// The shapes the console reads from the hub's API (see /api/docs-json).

export interface Page<T> {
  items: T[];
  total: number;
}

export type Bilingual = { zh: string; en: string };

export interface Me {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  roles: { role: string; unitId: string; level: number | null; name: Bilingual }[];
  restriction: string | null;
}

export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  mustChangePassword: boolean;
}

export type Category = 'policy' | 'news' | 'notice' | 'emergency' | 'reprint';
export type ManuscriptStatus = 'draft' | 'in_review' | 'approved' | 'rejected' | 'archived';

export interface Source {
  type: 'original' | 'reprint';
  unitName?: string;
  url?: string;
}

export interface Version {
  id: string;
  number: number;
  title: string;
  summary: string;
  bodyHtml: string;
  category: Category;
  source: Source;
  coverMediaId: string | null;
  mediaIds: string[];
  authorId: string;
  createdAt: string;
}

export interface ChainStep {
  level: number;
  name: string;
}

export interface Manuscript {
  id: string;
  unitId: string;
  authorId: string;
  title: string;
  category: Category;
  status: ManuscriptStatus;
  currentVersionId: string;
  currentVersionNumber: number;
  approvedVersionId: string | null;
  chain: { steps: ChainStep[]; parallel: boolean } | null;
  approvedSteps: number[] | null;
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version?: Version;
}

export interface Finding {
  id: string;
  rule: string;
  category: string;
  severity: 'block' | 'warn';
  field: 'title' | 'summary' | 'body' | 'source' | 'image';
  start: number;
  end: number;
  htmlStart?: number;
  htmlEnd?: number;
  text: string;
  message: Bilingual;
  suggestion?: string;
  acknowledged?: boolean;
  platform?: string;
}

export interface CheckResult {
  ok: boolean;
  blocking: Finding[];
  warnings: Finding[];
  /** 送审 rule from the hub: the same the submission applies. */
  submit?: { allowed: boolean; mustFix: string[]; forReviewer: string[] };
  lexiconVersion: number;
}

export interface ReviewDecision {
  id: string;
  versionId: string;
  reviewerId: string;
  step: number;
  level: number;
  decision: 'approve' | 'reject';
  comment: string | null;
  createdAt: string;
}

export interface PendingReview {
  manuscriptId: string;
  title: string;
  category: Category;
  versionId: string;
  versionNumber: number;
  step: number;
  stepName: string;
  level: number;
  submittedAt: string | null;
}

export interface ConstraintIssue {
  constraint: string;
  message: string;
  limit?: number;
  actual?: number;
}

/** Why an account cannot take a manuscript, and what fixes it (Chinese, from the hub). */
export interface SkipReason {
  code: 'account_status' | 'not_connected' | 'no_plugin' | 'settings' | 'rendition';
  reason: string;
  fix: string;
}

export interface SkippedAccount extends SkipReason {
  accountId: string;
  accountName: string;
  platform: string;
  platformName: string;
}

export interface RenditionItem {
  accountId: string;
  accountName: string;
  platform: string;
  title?: string;
  titleDiffers: boolean;
  publishable?: boolean;
  skip?: SkipReason | null;
  rendition: {
    fields: { title?: string; body?: string; summary?: string };
    assets: unknown[];
    warnings: ConstraintIssue[];
    violations: ConstraintIssue[];
  };
}

export type TargetState =
  'pending' | 'publishing' | 'processing' | 'published' | 'failed' | 'rejected' | 'retracting' | 'retracted' | 'retract_failed' | string;

export interface Target {
  id: string;
  accountId: string;
  accountName: string | null;
  platform: string;
  state: TargetState;
  remoteId: string | null;
  url: string | null;
  /** Sandbox accounts: the simulator's page of the post. */
  viewUrl?: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  publishedAt: string | null;
}

export interface Publication {
  id: string;
  manuscriptId: string;
  versionId: string;
  status: string;
  scheduledAt: string | null;
  retractReason: string | null;
  createdAt: string;
  title?: string;
  targets?: Target[];
  /** Only in the answer to creating a publication: accounts left out, with why and the fix. */
  skipped?: SkippedAccount[];
}

export interface Account {
  id: string;
  unitId: string;
  platform: string;
  name: string;
  platformAccountId: string | null;
  profileName: string | null;
  verifiedSubject: string | null;
  status: string;
  connection: string;
  namingIssues: { code?: string; message?: string }[] | string[] | null;
  lastPostAt: string | null;
  sandbox: boolean;
  openedAt: string | null;
  exceptionReason?: string | null;
  createdAt?: string;
  settings?: Record<string, string | number | boolean> | null;
  filings?: Filing[];
  approvals?: {
    id: string;
    decision: string | null;
    reason: string | null;
    comment: string | null;
    exception?: boolean;
    requestedBy?: string;
    decidedAt?: string | null;
    createdAt: string;
  }[];
}

export interface Filing {
  id: string;
  accountId: string;
  kind: string;
  status: string;
  dueAt: string | null;
  effectiveAt?: string | null;
  filedAt: string | null;
  late: boolean;
  reference: string | null;
}

export interface PluginManifest {
  id: string;
  name: Bilingual;
  auth: { kind: string };
  credentials: CredentialField[];
  capabilities: string[];
  /** Per-account settings a unit admin sets; the type is that of the default. */
  settings?: SettingField[];
}

export interface CredentialField {
  name: string;
  label: Bilingual;
  secret: boolean;
  required: boolean;
  scope?: string;
  type?: 'string' | 'url' | 'number';
  description?: Bilingual;
  pattern?: string;
}

export interface SettingField {
  name: string;
  label: Bilingual;
  default?: string | number | boolean;
  required?: boolean;
}

export interface MatrixCell {
  accountId: string;
  name: string;
  status: string;
  connection: string;
  namingConsistent: boolean | null;
  lastPostAt: string | null;
}

/** Cells come as tuples whose positions `columns` names (the grid is large; keys would dominate it). */
export type MatrixTuple = unknown[];

export interface Matrix {
  platforms: { id: string; name: Bilingual }[];
  columns?: (keyof MatrixCell)[];
  rows: {
    unitId: string;
    name: string;
    level: string;
    parentId: string | null;
    depth: number;
    /** Units directly below (with `?levels=`, those deeper than the answer are fetched on opening). */
    childCount?: number;
    cells: Record<string, (MatrixCell | MatrixTuple)[]>;
  }[];
  totals?: { units: number; accounts: number; inconsistent: number; unitsWithout: Record<string, number> };
}

export interface Unit {
  id: string;
  name: string;
  level: string;
  parentId: string | null;
  creditCode: string;
  regionCode: string;
  status?: string;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  status: string;
  locked: boolean;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  lastLoginAt: string | null;
  roles: { role: string; unitId: string; level: number | null }[];
  /** Whether the signed-in user may change this one (the hub's rule); false for oneself. */
  manageable?: boolean;
}

export interface AuditEntry {
  id: string;
  seq?: number;
  at?: string;
  createdAt?: string;
  actorName: string | null;
  action: string;
  actionLabel?: { zh: string; en: string };
  targetType: string | null;
  targetTypeLabel?: { zh: string; en: string } | null;
  targetId: string | null;
  targetName?: string | null;
  result: string;
  ip: string | null;
  requestId?: string | null;
}

export interface Media {
  id: string;
  kind: 'image' | 'video';
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
  unitId?: string;
  durationSec?: number | null;
  originalName?: string | null;
  caption?: string | null;
  alt?: string | null;
  createdAt?: string;
}

export interface UnitTreeNode {
  id: string;
  name: string;
  level: string;
  children: UnitTreeNode[];
}

// Joint posting (矩阵联动): campaign 联动任务, assignment 任务分派, exemption 豁免.

export type AssignmentState = 'pending' | 'accepted' | 'done' | 'done_late' | 'overdue' | 'exempted' | 'not_applicable';

export type AssignmentCounts = { total: number } & Record<AssignmentState, number>;

export interface Campaign {
  id: string;
  title: string;
  instructions: string;
  issuerUnitId: string;
  issuerUnitName: string;
  source: { manuscriptId: string | null; publicationId: string | null; title: string; url: string | null };
  platforms: string[];
  deadline: string;
  reminders: number[];
  allowAdaptation: boolean;
  status: 'open' | 'closed';
  createdAt: string;
  counts: AssignmentCounts;
  /** Only in GET /campaigns/:id: the relays a retraction of the source may take back. */
  relays?: Relay[];
  /** Only in GET /campaigns/:id: the source publication was retracted, so the relays should follow. */
  sourceRetracted?: boolean;
}

export interface Relay {
  assignmentId: string;
  unitId: string;
  unitName: string;
  platform: string;
  publicationId: string | null;
  /** The relay target's state; `native` for a repost made in the platform's app (ask the unit). */
  state: string;
  retractable: boolean;
  url: string | null;
}

export interface NewCampaign {
  title: string;
  instructions?: string;
  source: { manuscriptId: string } | { publicationId: string };
  targets: { unitIds?: string[]; rootUnitId?: string; levels?: string[] };
  platforms: string[];
  deadline: string;
  reminders?: number[];
  allowAdaptation?: boolean;
}

export interface Exemption {
  reason: string;
  status: 'requested' | 'approved' | 'rejected';
  decidedAt: string | null;
  comment: string | null;
}

export interface Assignment {
  id: string;
  campaignId: string;
  campaign: {
    title: string;
    deadline: string;
    instructions: string;
    issuerUnitName: string;
    allowAdaptation: boolean;
    status: 'open' | 'closed';
    /** Beyond the agreed shape: lets the trust settings offer the issuers a unit has heard from. */
    issuerUnitId?: string;
  };
  unitId: string;
  unitName: string;
  platform: string;
  accountId: string | null;
  accountName: string | null;
  state: AssignmentState;
  acceptedAt: string | null;
  completedAt: string | null;
  completion: 'tongfa' | 'detected' | 'evidence' | null;
  url: string | null;
  minutesLate: number | null;
  reminders: number;
  manuscriptId: string | null;
  publicationId: string | null;
  exemption: Exemption | null;
  /** Why the last evidence URL was refused, when the hub says so. */
  evidenceRefusal?: string | null;
}

export interface DashboardUnit {
  unitId: string;
  unitName: string;
  level: string;
  hasChildren: boolean;
  counts: AssignmentCounts;
}

export interface Dashboard {
  counts: AssignmentCounts;
  units: DashboardUnit[];
  platforms: { platform: string; counts: AssignmentCounts }[];
  timeline: { at: string; done: number }[];
  overdue: {
    assignmentId: string;
    unitId: string;
    unitName: string;
    platform: string;
    accountName: string | null;
    minutesLate: number;
    reminders: number;
  }[];
}

export interface CampaignTrust {
  issuerUnitId: string;
  issuerUnitName: string;
  createdAt: string;
  createdBy: string;
}

/** 答问 (qaEntry) of the shared Q&A library: a row of GET /qa/entries. */
export interface QaEntryRow {
  id: string;
  unitId: string;
  status: 'draft' | 'in_review' | 'published' | 'archived';
  question: string;
  categoryId: string | null;
  currentVersionNumber: number;
  liveVersionId: string | null;
  liveUntil: string | null;
  needsReview: boolean;
  lastDecision: 'approve' | 'reject' | null;
  updatedAt: string;
}

export interface QaPolicyBasis {
  title: string;
  docNumber?: string | null;
  url?: string | null;
}

export interface QaChannelAnswers {
  newMedia?: string | null;
  web?: string | null;
  hotline?: string | null;
}

/** One immutable version of an entry. */
export interface QaVersion {
  id: string;
  number: number;
  question: string;
  similarQuestions: string[];
  answerHtml: string;
  channelAnswers: QaChannelAnswers;
  categoryId: string | null;
  keywords: string[];
  policyBasis: QaPolicyBasis[];
  effectiveFrom: string | null;
  effectiveUntil: string | null;
  overridesEntryId: string | null;
  internalNote: string | null;
  authorId: string;
  createdAt: string;
}

/** GET /qa/entries/:id: the current version and, while an edit waits, the live one. */
export interface QaEntryDetail {
  id: string;
  unitId: string;
  status: QaEntryRow['status'];
  version: number;
  question: string;
  category: string | null;
  overridesEntryId: string | null;
  needsReview: boolean;
  lastDecision: 'approve' | 'reject' | null;
  liveVersionId: string | null;
  liveUntil: string | null;
  current: QaVersion;
  live: QaVersion | null;
  updatedAt: string;
}

export interface QaCategory {
  id: string;
  parentId: string | null;
  name: string;
  pathName: string;
}

export interface QaAnswer {
  entryId: string;
  question: string;
  answer: string;
  answerHtml: string;
  channelAnswer: string | null;
  score: number;
  matchedQuestion: string;
}

export interface QaSearchResult {
  queryId: string;
  items: QaAnswer[];
  suggestions: QaAnswer[];
}

export interface QaGap {
  normalizedText: string;
  example: string;
  unitId: string;
  count: number;
  firstAskedAt: string;
  lastAskedAt: string;
}

export interface QaReviewDecision {
  id: string;
  versionId: string;
  step: number;
  level: number;
  reviewerId: string;
  decision: 'approve' | 'reject';
  comment: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  ownerId: string;
  unitId: string;
  grants: { role: string; unitId: string; level?: number | null }[];
  scopes: string[];
  allowedOrigins: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

// 政民互动 (GET /inbox/…): times are ISO instants, shown in Beijing time.
export type InboxThreadState = 'new' | 'assigned' | 'replied' | 'closed';

export interface InboxThread {
  id: string;
  accountId: string;
  accountName: string | null;
  platform: string;
  unitId: string;
  kind: 'comment' | 'message';
  postRemoteId: string | null;
  rootCommentId: string | null;
  citizenId: string | null;
  /** Masked by the hub where the platform gives personal data. */
  citizenName: string;
  state: InboxThreadState;
  assigneeId: string | null;
  preview: string;
  sensitive: boolean;
  firstIncomingAt: string;
  lastIncomingAt: string;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  replyDeadlineAt: string | null;
  firstRespondedAt: string | null;
  firstResponseMinutes: number | null;
  respondedInTime: boolean | null;
  closedAt: string | null;
}

export interface InboxFinding {
  rule: string;
  severity: string;
  message: string;
  excerpt?: string;
}

export interface InboxReply {
  id: string;
  threadId: string;
  state: 'review' | 'pending' | 'sending' | 'sent' | 'failed' | 'unconfirmed' | 'blocked' | 'rejected';
  text: string;
  attempts: number;
  remoteId: string | null;
  lastError: string | null;
  findings: InboxFinding[];
  createdBy: string;
  createdAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  sentAt: string | null;
}

export interface InboxNote {
  id: string;
  authorId: string;
  authorName: string;
  text: string;
  createdAt: string;
}

export interface InboxThreadDetail extends InboxThread {
  assigneeName: string | null;
  post: { remoteId: string; title: string | null; url: string | null; publicationId: string | null } | null;
  items: { id: string; direction: 'in' | 'out'; kind: string; author: string; text: string; parentId: string | null; createdAt: string }[];
  replies: InboxReply[];
  notes: InboxNote[];
}

export interface InboxMetricsRow {
  threads: number;
  answered: number;
  responseRate: number | null;
  medianFirstResponseMinutes: number | null;
  withinSlaRate: number | null;
  unansweredOlder: number;
}

export interface InboxMetrics {
  from: string;
  to: string;
  olderThanDays: number;
  total: InboxMetricsRow;
  accounts: (InboxMetricsRow & { accountId: string; accountName: string | null; platform: string; unitId: string })[];
  units: (InboxMetricsRow & { unitId: string })[];
}
