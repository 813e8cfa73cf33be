import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { BellOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import { usePolling } from '../lib/usePolling';
import { useT } from '../lib/i18n';

/** Fired by the notifications page after read marks, so the bell need not wait for its next poll. */
export const NOTIFICATIONS_CHANGED = 'tongfa:notifications-changed';

/** The header's bell: the unread count from the cheap count endpoint, polled while the tab is visible. */
export function NotificationBell() {
  const t = useT();
  const nav = useNavigate();
  const [unread, setUnread] = useState(0);
  const load = useCallback(async () => {
    try {
      setUnread((await api<{ unread: number }>('/notifications/unread-count')).unread);
    } catch {
      // A failed poll keeps the last count; the next one tries again.
    }
  }, []);
  usePolling(load, 30_000);
  useEffect(() => {
    const on = () => void load();
    window.addEventListener(NOTIFICATIONS_CHANGED, on);
    return () => window.removeEventListener(NOTIFICATIONS_CHANGED, on);
  }, [load]);
  const label = unread ? t(`通知（${unread} 条未读）`, `Notifications (${unread} unread)`) : t('通知', 'Notifications');
  // A plain button (components/lite.css): the header is drawn before antd loads. The count sits
  // beside the button, not in it: the button's name already says it (axe label-content-name-mismatch).
  return (
    <span className="tf-bell">
      <button
        type="button"
        className="tf-iconbtn"
        data-testid="notification-bell"
        aria-label={label}
        title={label}
        onClick={() => nav('/notifications')}
      >
        <BellOutlined aria-hidden />
      </button>
      {unread > 0 && (
        <span className="tf-badge" aria-hidden>
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </span>
  );
}
