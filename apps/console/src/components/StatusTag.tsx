import { Tag } from 'antd';
import { label, MANUSCRIPT_STATUS, TARGET_STATE } from '../lib/labels';
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
};

export function StatusTag({ status, kind }: { status: string; kind: 'manuscript' | 'target' }) {
  const lang = useLang();
  const text = label(kind === 'manuscript' ? MANUSCRIPT_STATUS : TARGET_STATE, status, lang);
  return (
    <Tag color={COLORS[status] ?? 'default'} data-status={status} style={{ color: 'rgba(0,0,0,0.88)' }}>
      {text}
    </Tag>
  );
}
