import { Tag } from 'antd';
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

// Dark text on the light presets keeps WCAG AA contrast (the default preset text is too pale on some).
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
  return (
    <Tag color={COLORS[status] ?? 'default'} data-status={status} style={{ color: 'rgba(0,0,0,0.88)' }}>
      {text}
    </Tag>
  );
}
