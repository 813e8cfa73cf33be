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
  filings?: Filing[];
  approvals?: { id: string; decision: string | null; reason: string | null; comment: string | null; createdAt: string }[];
}

export interface Filing {
  id: string;
  accountId: string;
  kind: string;
  status: string;
  dueAt: string | null;
  filedAt: string | null;
  late: boolean;
  reference: string | null;
}

export interface PluginManifest {
  id: string;
  name: Bilingual;
  auth: { kind: string };
  credentials: { name: string; label: Bilingual; secret: boolean; required: boolean; scope?: string }[];
  capabilities: string[];
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
}

export interface AuditEntry {
  id: string;
  seq?: number;
  at?: string;
  createdAt?: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: string;
  ip: string | null;
}

export interface Media {
  id: string;
  kind: 'image' | 'video';
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
}
