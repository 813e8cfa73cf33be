import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Assignment } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { ASSIGNMENTS_PAGE } from '../pages/workbench-prefetch';
import { useLang, useT } from '../lib/i18n';
import { countdown, OPEN_STATES } from '../lib/campaigns';
import { PlatformIcon } from './PlatformIcon';
import { StatusTag } from './StatusTag';
import { ListCard } from './ListCard';

const OPEN = new Set<string>(OPEN_STATES);

/**
 * 我的联动任务 on the workbench: the unit's assignments, open ones first by deadline, with the
 * time left. A list rather than a table, so state and time left stay in view on a phone.
 */
export function MyAssignments() {
  const t = useT();
  const lang = useLang();
  const list = usePaged<Assignment>('/assignments', {}, ASSIGNMENTS_PAGE);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const { current, pageSize, total, onChange } = list.pagination;
  const pages = Math.ceil(total / pageSize);
  return (
    <ListCard<Assignment>
      title={t('我的联动任务', 'My campaign tasks')}
      testId="my-assignments"
      wide
      load={{
        data: list.loading ? null : list.items,
        error: list.error && t(`联动任务加载失败：${list.error}`, `Could not load tasks: ${list.error}`),
      }}
      items={list.items}
      empty={t('上级没有下发需要本单位转发的任务', 'No campaign asks us to relay anything')}
      rowKey={(a) => a.id}
      rowProps={(a) => ({ 'data-assignment': a.id, 'data-state': a.state })}
      row={(a) => {
        const due = OPEN.has(a.state) ? countdown(a.campaign.deadline, now, lang) : null;
        return (
          <div style={{ width: '100%' }}>
            <Link to={`/assignments/${a.id}`}>{a.campaign.title}</Link>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 12px', marginTop: 4 }}>
              <PlatformIcon platform={a.platform} lang={lang} />
              <StatusTag kind="assignment" status={a.state} />
              {due && <span className={due.late ? 'tf-danger' : due.urgent ? 'tf-warn' : undefined}>{due.text}</span>}
              <span className="tf-secondary">{a.campaign.issuerUnitName}</span>
            </div>
          </div>
        );
      }}
      footer={
        pages > 1 && (
          <nav className="tf-pager" aria-label={t('联动任务分页', 'Task pages')}>
            <button type="button" className="tf-btn tf-btn-sm" disabled={current <= 1} onClick={() => onChange(current - 1, pageSize)}>
              {t('上一页', 'Previous')}
            </button>
            <span>
              {current} / {pages}
            </span>
            <button type="button" className="tf-btn tf-btn-sm" disabled={current >= pages} onClick={() => onChange(current + 1, pageSize)}>
              {t('下一页', 'Next')}
            </button>
          </nav>
        )
      }
    />
  );
}
