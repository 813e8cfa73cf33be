import { useState } from 'react';
import { Space, Tag, Typography } from 'antd';
import type { InboxThread } from '../api/types';
import { bjFormat } from '../lib/beijing';
import { useT } from '../lib/i18n';
import { usePolling } from '../lib/usePolling';
import { DARK } from '../lib/notifications';

const MIN = 60_000;

/** "3 小时 5 分" / "3 h 5 min": whole minutes, days past 48 hours. */
export function spanText(ms: number, t: (zh: string, en: string) => string): string {
  const m = Math.max(0, Math.floor(ms / MIN));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  if (d >= 2) return t(`${d} 天 ${h} 小时`, `${d} d ${h} h`);
  const hours = d * 24 + h;
  return hours ? t(`${hours} 小时 ${mm} 分`, `${hours} h ${mm} min`) : t(`${mm} 分`, `${mm} min`);
}

/** Now, refreshed every half minute so countdowns move while the page is open. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  usePolling(() => setNow(Date.now()), 30_000);
  return now;
}

/**
 * A thread's clocks: the first-response deadline on the unit's working time (a Beijing wall-clock
 * time, with 已超时 once passed) and the platform's reply window, a hard deadline after which the
 * platform refuses any answer, as a countdown.
 */
export function InboxClock({ thread, now, compact = false }: { thread: InboxThread; now: number; compact?: boolean }) {
  const t = useT();
  const open = thread.state === 'new' || thread.state === 'assigned';
  const due = thread.firstResponseDueAt ? new Date(thread.firstResponseDueAt).getTime() : null;
  const hard = thread.replyDeadlineAt ? new Date(thread.replyDeadlineAt).getTime() : null;
  return (
    <Space orientation="vertical" size={2} data-testid="inbox-clock">
      {open && due !== null && (
        <span data-clock="sla" data-overdue={due <= now}>
          <Typography.Text>
            {t('首次响应时限', 'Answer by')} {bjFormat(thread.firstResponseDueAt)}
            {compact ? '' : t('（北京时间，按工作时间计）', ' (Beijing time, counted on working time)')}
          </Typography.Text>{' '}
          {due <= now ? (
            <Tag color="error" style={DARK}>
              {t('已超时', 'Overdue')}
            </Tag>
          ) : (
            <Tag style={DARK}>{t(`剩 ${spanText(due - now, t)}`, `${spanText(due - now, t)} left`)}</Tag>
          )}
        </span>
      )}
      {!open && thread.firstRespondedAt && (
        <Typography.Text data-clock="answered">
          {t('首次答复', 'First answered')} {bjFormat(thread.firstRespondedAt)}
          {thread.respondedInTime === false ? t('（超时）', ' (late)') : ''}
        </Typography.Text>
      )}
      {thread.state !== 'closed' && hard !== null && (
        <span data-clock="window" data-closed={hard <= now}>
          {hard <= now ? (
            <Tag color="default" style={DARK}>
              {t('平台回复窗口已关闭', 'The platform’s reply window has closed')}
            </Tag>
          ) : (
            <Tag
              color="warning"
              style={DARK}
              title={t(`截止 ${bjFormat(thread.replyDeadlineAt)}`, `Until ${bjFormat(thread.replyDeadlineAt)}`)}
            >
              {t(`平台回复窗口剩 ${spanText(hard - now, t)}`, `Platform reply window: ${spanText(hard - now, t)} left`)}
            </Tag>
          )}
        </span>
      )}
      {!open && !thread.firstRespondedAt && thread.state === 'closed' && <Typography.Text>—</Typography.Text>}
    </Space>
  );
}
