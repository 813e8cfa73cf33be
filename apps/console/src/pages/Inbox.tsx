import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Card, Checkbox, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import type { InboxThread } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { unitTreeData, useUnitTree } from '../lib/unit-tree';
import { useLang, useT } from '../lib/i18n';
import { label, THREAD_KIND, THREAD_STATE } from '../lib/labels';
import { bjFormat } from '../lib/beijing';
import { DARK } from '../lib/notifications';
import { StatusTag } from '../components/StatusTag';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon, platformName } from '../components/PlatformIcon';
import { InboxClock, useNow } from '../components/InboxClock';

const STATES = ['new', 'assigned', 'replied', 'closed'];
const PLATFORMS = ['wechat', 'weibo', 'douyin', 'toutiao', 'nanfang', 'own-app'];
/** The first words of a citizen's text: enough to tell threads apart in a row. */
const firstWords = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * 互动消息: the comments and messages of the caller's subtree across all platforms, newest first,
 * filtered on the server. The filters live in the address, so a reload or a shared link keeps them.
 */
export default function Inbox() {
  const t = useT();
  const lang = useLang();
  const now = useNow();
  const tree = useUnitTree();
  const [params, setParams] = useSearchParams();
  const unitId = params.get('unitId') ?? undefined;
  const platform = params.get('platform') ?? undefined;
  const state = params.get('state') ?? undefined;
  const due = params.get('due') ?? undefined;
  const mine = params.get('assignee') === 'me';
  const set = (key: string, value: string | undefined) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const list = usePaged<InboxThread>('/inbox/threads', { unitId, platform, state, due, assignee: mine ? 'me' : undefined }, 20);
  const treeData = useMemo(() => (tree ? [unitTreeData(tree)] : []), [tree]);

  return (
    <div>
      <PageHeader
        title={t('互动消息', 'Interaction inbox')}
        extra={<Link to="/inbox/metrics">{t('互动统计', 'Interaction metrics')}</Link>}
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }} data-testid="inbox-filters">
          <TreeSelect
            aria-label={t('单位', 'Unit')}
            placeholder={t('全部单位', 'All units')}
            allowClear
            treeData={treeData}
            treeDefaultExpandAll
            value={unitId}
            onChange={(v?: string) => set('unitId', v)}
            style={{ width: 200 }}
            data-testid="filter-unit"
          />
          <Select
            aria-label={t('平台', 'Platform')}
            placeholder={t('全部平台', 'All platforms')}
            allowClear
            value={platform}
            onChange={(v?: string) => set('platform', v)}
            options={PLATFORMS.map((p) => ({ value: p, label: platformName(p, lang) }))}
            style={{ width: 150 }}
            data-testid="filter-platform"
          />
          <Select
            aria-label={t('状态', 'State')}
            placeholder={t('全部状态', 'All states')}
            allowClear
            value={state}
            onChange={(v?: string) => set('state', v)}
            options={STATES.map((s) => ({ value: s, label: label(THREAD_STATE, s, lang) }))}
            style={{ width: 130 }}
            data-testid="filter-state"
          />
          <Select
            aria-label={t('响应时限', 'Answer deadline')}
            placeholder={t('全部时限', 'Any deadline')}
            allowClear
            value={due}
            onChange={(v?: string) => set('due', v)}
            options={[
              { value: 'today', label: t('今日到期（含已超时）', 'Due today (or overdue)') },
              { value: 'overdue', label: t('已超时', 'Overdue') },
            ]}
            style={{ width: 190 }}
            data-testid="filter-due"
          />
          <Checkbox checked={mine} onChange={(e) => set('assignee', e.target.checked ? 'me' : undefined)} data-testid="filter-mine">
            {t('只看指派给我的', 'Assigned to me')}
          </Checkbox>
        </Space>
        {list.error && <Alert type="error" title={list.error} />}
        <Table<InboxThread>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          onChange={list.onTableChange}
          scroll={{ x: 900 }}
          data-testid="inbox-threads"
          locale={{ emptyText: t('没有符合条件的互动消息', 'No matching thread') }}
          columns={[
            {
              title: t('平台与账号', 'Platform and account'),
              dataIndex: 'accountName',
              render: (v: string | null, r) => (
                <Space size={4}>
                  <PlatformIcon platform={r.platform} lang={lang} withName={false} />
                  <span>{v ?? platformName(r.platform, lang)}</span>
                </Space>
              ),
            },
            {
              title: t('群众', 'Citizen'),
              dataIndex: 'citizenName',
              render: (v: string, r) => (
                <span>
                  {v} <Typography.Text type="secondary">{label(THREAD_KIND, r.kind, lang)}</Typography.Text>
                </span>
              ),
            },
            {
              title: t('内容', 'Text'),
              dataIndex: 'preview',
              render: (v: string, r) => (
                <Space size={4} wrap>
                  <Link to={`/inbox/${r.id}`} data-testid="inbox-thread-link">
                    {firstWords(v) || t('（无文字）', '(no text)')}
                  </Link>
                  {r.sensitive && (
                    <Tag color="error" style={DARK}>
                      {t('涉敏', 'Sensitive')}
                    </Tag>
                  )}
                </Space>
              ),
            },
            { title: t('状态', 'State'), dataIndex: 'state', render: (s: string) => <StatusTag kind="thread" status={s} /> },
            {
              title: t('时限（北京时间）', 'Deadlines (Beijing time)'),
              key: 'firstResponseDueAt',
              dataIndex: 'firstResponseDueAt',
              sorter: true,
              render: (_: unknown, r) => <InboxClock thread={r} now={now} compact />,
            },
            { title: t('最新留言', 'Latest'), dataIndex: 'lastIncomingAt', sorter: true, render: (v: string) => bjFormat(v) },
          ]}
        />
      </Card>
    </div>
  );
}
