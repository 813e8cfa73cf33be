import { Link, useNavigate } from 'react-router';
import { PlusOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Manuscript, PendingReview, Publication } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { CATEGORY, label } from '../lib/labels';
import { StatusTag } from '../components/StatusTag';
import { MyAssignments } from '../components/MyAssignments';
import { ListCard } from '../components/ListCard';
import { AuditorCards, OperatorCards, SupervisorCards } from '../components/RoleCards';

import { ALL, DRAFTS, MINE, PAGE } from './workbench-prefetch';

/** ListCard's loader state from a paged list: loading until the first answer or error. */
const listState = (l: { loading: boolean; items: unknown[]; error: string | null }) => ({
  data: l.loading ? null : l.items,
  error: l.error,
});

const when = (s: string | null | undefined) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');

export default function Workbench() {
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { me, has } = useSession();
  const drafts = usePaged<Manuscript>(has('editor') ? '/manuscripts' : null, DRAFTS, PAGE);
  const mine = usePaged<Manuscript>(has('editor') ? '/manuscripts' : null, MINE, PAGE);
  const pubs = usePaged<Publication>(has('editor') || has('supervisor') || has('reviewer') ? '/publications' : null, ALL, PAGE);
  const [pending, setPending] = useState<PendingReview[] | null>(has('reviewer') ? null : []);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (has('reviewer'))
      api<{ items: PendingReview[] }>('/reviews/pending')
        .then((r) => setPending(r.items))
        .catch((e) => setError(String(e.message ?? e)));
  }, [has]);

  return (
    <div>
      <div className="tf-pagehead">
        <h1>
          {t('工作台', 'Workbench')} · {me?.displayName}
        </h1>
        {has('editor') && (
          <button type="button" className="tf-btn tf-btn-primary" onClick={() => nav('/manuscripts/new')}>
            <PlusOutlined aria-hidden />
            {t('写稿', 'New manuscript')}
          </button>
        )}
      </div>
      {/* Plain elements throughout (components/lite.css): this page draws before antd has loaded. */}
      <div className="tf-grid">
        {has('auditor') && <AuditorCards />}
        {has('platform_operator') && <OperatorCards />}
        {has('supervisor') && <SupervisorCards />}
        {(has('editor') || has('unit_admin')) && <MyAssignments />}
        {has('editor') && (
          <ListCard<Manuscript>
            title={t('我的草稿', 'My drafts')}
            testId="my-drafts"
            load={listState(drafts)}
            items={drafts.items}
            count={drafts.loading ? undefined : drafts.total}
            more={{ to: '/manuscripts', label: t('全部稿件', 'All manuscripts') }}
            empty={t('暂无草稿', 'No drafts')}
            rowKey={(m) => m.id}
            row={(m) => (
              <>
                <Link to={`/manuscripts/${m.id}/edit`}>{m.title || t('（无标题）', '(untitled)')}</Link>
                <span className="tf-secondary">{label(CATEGORY, m.category, lang)}</span>
                <span className="tf-secondary">{when(m.updatedAt)}</span>
              </>
            )}
          />
        )}
        {has('reviewer') && (
          <ListCard<PendingReview>
            title={t('待我审核', 'Waiting for my review')}
            testId="pending-reviews"
            load={{ data: pending, error }}
            items={pending ?? []}
            count={pending?.length}
            empty={t('没有待审稿件', 'Nothing to review')}
            rowKey={(r) => r.manuscriptId}
            row={(r) => (
              <>
                <Link to={`/manuscripts/${r.manuscriptId}/review`}>{r.title}</Link>
                <span>{r.stepName}</span>
                <span className="tf-secondary">v{r.versionNumber}</span>
                <span className="tf-secondary">
                  {t('送审', 'Submitted')} {when(r.submittedAt)}
                </span>
              </>
            )}
          />
        )}
        {has('editor') && (
          <ListCard<Manuscript>
            title={t('我的稿件', 'My manuscripts')}
            testId="my-manuscripts"
            load={listState(mine)}
            items={mine.items}
            more={{ to: '/manuscripts', label: t('全部稿件', 'All manuscripts') }}
            empty={t('暂无稿件', 'No manuscripts')}
            rowKey={(m) => m.id}
            row={(m) => (
              <>
                <Link to={`/manuscripts/${m.id}`}>{m.title || t('（无标题）', '(untitled)')}</Link>
                <StatusTag kind="manuscript" status={m.status} />
                <span className="tf-secondary">{when(m.updatedAt)}</span>
              </>
            )}
          />
        )}
        {(has('editor') || has('supervisor') || has('reviewer')) && (
          <ListCard<Publication>
            title={t('最近发布', 'Recent publications')}
            testId="recent-publications"
            load={listState(pubs)}
            items={pubs.items}
            more={{ to: '/publications', label: t('全部发布记录', 'All publications') }}
            empty={t('暂无发布记录', 'No publications yet')}
            rowKey={(p) => p.id}
            row={(p) => (
              <>
                <Link to={`/publications/${p.id}`}>{p.title ?? p.manuscriptId.slice(0, 8)}</Link>
                <StatusTag kind="target" status={p.status} />
                <span className="tf-secondary">{when(p.createdAt)}</span>
              </>
            )}
          />
        )}
      </div>
    </div>
  );
}
