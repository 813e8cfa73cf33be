/** What the hub's /notifications and /alerts return, and where each links to in the console. */
export interface Text {
  zh: string;
  en: string;
}

export interface NotificationItem {
  id: string;
  kind: 'review_waiting' | 'approved' | 'returned' | 'publish_failed' | 'needs_reauth' | 'campaign_task' | 'alert';
  unitId: string;
  title: Text;
  body: Text;
  link: { type: string; id: string };
  createdAt: string;
  readAt: string | null;
}

export interface AlertItem {
  id: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  status: 'open' | 'acknowledged' | 'resolved';
  unitId: string;
  title: Text;
  message: Text;
  link: { type: string; id: string };
  createdAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export const NOTIFICATION_KIND: Record<NotificationItem['kind'], Text & { color: string }> = {
  review_waiting: { zh: '待审核', en: 'To review', color: 'blue' },
  approved: { zh: '已通过', en: 'Approved', color: 'green' },
  returned: { zh: '被退回', en: 'Returned', color: 'orange' },
  publish_failed: { zh: '发布异常', en: 'Publish failed', color: 'red' },
  needs_reauth: { zh: '需重新授权', en: 'Reconnect', color: 'volcano' },
  campaign_task: { zh: '联动任务', en: 'Campaign task', color: 'purple' },
  alert: { zh: '值班提醒', en: 'Duty alert', color: 'magenta' },
};

export const ALERT_KIND: Record<string, Text> = {
  review_escalated: { zh: '审核超时', en: 'Review overdue' },
  publish_failed: { zh: '发布异常', en: 'Publish failed' },
  account_needs_reauth: { zh: '账号授权失效', en: 'Account needs reconnecting' },
  campaign_reminder: { zh: '联动任务将截止', en: 'Campaign due soon' },
  campaign_overdue: { zh: '联动任务逾期', en: 'Campaign overdue' },
  qa_entry_expiring: { zh: '答问将失效', en: 'Q&A entry expiring' },
};

export const ALERT_STATUS: Record<AlertItem['status'], Text & { color: string }> = {
  open: { zh: '未确认', en: 'Open', color: 'red' },
  acknowledged: { zh: '已确认', en: 'Acknowledged', color: 'gold' },
  resolved: { zh: '已处置', en: 'Resolved', color: 'green' },
};

export const SEVERITY: Record<AlertItem['severity'], Text & { color: string }> = {
  info: { zh: '提示', en: 'Info', color: 'default' },
  warning: { zh: '警告', en: 'Warning', color: 'orange' },
  critical: { zh: '紧急', en: 'Critical', color: 'red' },
};

/** The console page a notification or alert opens. */
export function linkTo(link: { type: string; id: string }, kind?: string): string | null {
  switch (link.type) {
    case 'manuscript':
      return kind === 'review_waiting' ? `/manuscripts/${link.id}/review` : `/manuscripts/${link.id}`;
    case 'publication':
      return `/publications/${link.id}`;
    case 'account':
      return `/accounts/${link.id}`;
    case 'campaign':
      return `/campaigns/${link.id}`;
    case 'campaign_assignment':
      return `/assignments/${link.id}`;
    case 'duty_alert':
      return '/alerts';
    case 'inbox_thread':
      return `/inbox/${link.id}`;
    case 'qa_entry':
      return `/qa/${link.id}`;
    default:
      return null;
  }
}

/** Dark text on the light tag presets keeps WCAG AA contrast (as StatusTag does). */
export const DARK = { color: 'rgba(0,0,0,0.88)' } as const;
