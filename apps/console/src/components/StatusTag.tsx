import {
  ASSIGNMENT_STATE,
  CAMPAIGN_STATUS,
  label,
  MANUSCRIPT_STATUS,
  QA_STATUS,
  REPLY_STATE,
  TARGET_STATE,
  THREAD_STATE,
} from '../lib/labels';
import { useLang } from '../lib/i18n';

// The tone of each state (antd Tag's presets); the text stays dark on every tone for WCAG AA contrast.
const COLORS: Record<string, string> = {
  draft: 'default',
  in_review: 'processing',
  approved: 'success',
  rejected: 'error',
  published: 'success',
  failed: 'error',
  retracted: 'default',
  retract_failed: 'error',
  partial: 'warning',
  publishing: 'processing',
  processing: 'processing',
  pending: 'default',
  retracting: 'warning',
  queued: 'default',
  retry_wait: 'warning',
  needs_reauth: 'error',
  unconfirmed: 'warning',
  editing: 'processing',
  awaiting_retract: 'processing',
  superseded: 'default',
  accepted: 'processing',
  done: 'success',
  done_late: 'warning',
  overdue: 'error',
  exempted: 'default',
  not_applicable: 'default',
  open: 'processing',
  closed: 'default',
  archived: 'default',
  needs_review: 'warning',
  new: 'warning',
  assigned: 'processing',
  replied: 'success',
  review: 'processing',
  sending: 'processing',
  sent: 'success',
  blocked: 'error',
};

const TABLES = {
  manuscript: MANUSCRIPT_STATUS,
  target: TARGET_STATE,
  assignment: ASSIGNMENT_STATE,
  campaign: CAMPAIGN_STATUS,
  qa: QA_STATUS,
  thread: THREAD_STATE,
  reply: REPLY_STATE,
};

export function StatusTag({ status, kind }: { status: string; kind: keyof typeof TABLES }) {
  const lang = useLang();
  const text = label(TABLES[kind], status, lang);
  // A plain span styled like antd's Tag (components/lite.css): the workbench shows these before antd loads.
  return (
    <span className="tf-tag" data-tone={COLORS[status] ?? 'default'} data-status={status}>
      {text}
    </span>
  );
}
