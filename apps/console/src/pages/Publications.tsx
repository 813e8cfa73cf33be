import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Checkbox, Input, Select, Space, Table, TreeSelect } from 'antd';
import { usePaged } from '../lib/usePaged';
import { unitTreeData, useUnitTree } from '../lib/unit-tree';
import { useLang, useT } from '../lib/i18n';
import { TARGET_STATE, label } from '../lib/labels';
import { bjFormat, DAY_MS, fromBjDate } from '../lib/beijing';
import { StatusTag } from '../components/StatusTag';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon, platformName } from '../components/PlatformIcon';

export interface PublicationRow {
  id: string;
  manuscriptId: string;
  title: string | null;
  unitId: string;
  unitName: string | null;
  status: string;
  scheduledAt: string | null;
  createdAt: string;
  correctionOf: string | null;
  platforms: { platform: string; state: string }[];
}

const STATUSES = ['scheduled', 'publishing', 'published', 'partial', 'failed', 'retracting', 'retracted', 'superseded'];
const PLATFORMS = ['weibo', 'wechat', 'douyin', 'toutiao', 'nanfang', 'own-app'];
/** 发布记录: every publication of the caller's subtree, filtered by state, platform, unit, dates and title. */
export default function Publications() {
  const t = useT();
  const lang = useLang();
  const tree = useUnitTree();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string[]>([]);
  const [platform, setPlatform] = useState<string | undefined>();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [failedOnly, setFailedOnly] = useState(false);
  const fromAt = fromBjDate(from);
  const toAt = fromBjDate(to);
  const list = usePaged<PublicationRow>(
    '/publications',
    {
      q: q || undefined,
      status: status.length ? status.join(',') : undefined,
      platform,
      unitId,
      from: fromAt?.toISOString(),
      // The end date is inclusive: up to the start of the next Beijing day.
      to: toAt ? new Date(toAt.getTime() + DAY_MS).toISOString() : undefined,
      targetState: failedOnly ? 'failed' : undefined,
    },
    20,
  );
  const treeData = useMemo(() => (tree ? [unitTreeData(tree)] : []), [tree]);
  const tl = (k: string) => label(TARGET_STATE, k, lang);

  return (
    <div>
      <PageHeader title={t('发布记录', 'Publications')} />
      <Card>
        <Space wrap style={{ marginBottom: 12 }} data-testid="publication-filters">
          <Input.Search
            aria-label={t('按标题搜索', 'Search titles')}
            placeholder={t('按标题搜索', 'Search titles')}
            allowClear
            onSearch={setQ}
            style={{ width: 220 }}
          />
          <Select
            mode="multiple"
            aria-label={t('发布状态', 'Status')}
            placeholder={t('全部状态', 'All statuses')}
            allowClear
            value={status}
            onChange={setStatus}
            options={STATUSES.map((s) => ({ value: s, label: tl(s) }))}
            style={{ minWidth: 160 }}
            data-testid="filter-status"
          />
          <Select
            aria-label={t('平台', 'Platform')}
            placeholder={t('全部平台', 'All platforms')}
            allowClear
            value={platform}
            onChange={setPlatform}
            options={PLATFORMS.map((p) => ({ value: p, label: platformName(p, lang) }))}
            style={{ width: 150 }}
            data-testid="filter-platform"
          />
          <TreeSelect
            aria-label={t('单位', 'Unit')}
            placeholder={t('全部单位', 'All units')}
            allowClear
            treeData={treeData}
            treeDefaultExpandAll
            value={unitId}
            onChange={setUnitId}
            style={{ width: 200 }}
            data-testid="filter-unit"
          />
          <Space.Compact>
            <Input
              type="date"
              aria-label={t('开始日期（北京时间）', 'From (Beijing time)')}
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              style={{ width: 150 }}
              data-testid="filter-from"
            />
            <Input
              type="date"
              aria-label={t('结束日期（北京时间）', 'To (Beijing time)')}
              value={to}
              onChange={(e) => setTo(e.target.value)}
              style={{ width: 150 }}
              data-testid="filter-to"
            />
          </Space.Compact>
          <Checkbox checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} data-testid="filter-failed">
            {t('只看有失败平台的', 'With a failed platform')}
          </Checkbox>
        </Space>
        {list.error && <Alert type="error" title={list.error} />}
        <Table<PublicationRow>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          onChange={list.onTableChange}
          scroll={{ x: 760 }}
          data-testid="publications"
          locale={{ emptyText: t('没有符合条件的发布记录', 'No matching publication') }}
          columns={[
            {
              title: t('稿件', 'Manuscript'),
              dataIndex: 'title',
              render: (v: string | null, r) => (
                <Link to={`/publications/${r.id}`}>
                  {v ?? r.manuscriptId.slice(0, 8)}
                  {r.correctionOf ? t('（更正）', ' (correction)') : ''}
                </Link>
              ),
            },
            { title: t('状态', 'Status'), dataIndex: 'status', sorter: true, render: (s) => <StatusTag kind="target" status={s} /> },
            {
              title: t('平台', 'Platforms'),
              dataIndex: 'platforms',
              render: (ps: PublicationRow['platforms']) => (
                <Space size={4} wrap>
                  {ps.map((p, i) => (
                    <span key={i} title={tl(p.state)} data-state={p.state}>
                      <PlatformIcon platform={p.platform} lang={lang} withName={false} />
                      <span className="sr-only">{tl(p.state)}</span>
                    </span>
                  ))}
                </Space>
              ),
            },
            { title: t('单位', 'Unit'), dataIndex: 'unitName', render: (v) => v ?? '—' },
            { title: t('提交时间', 'Created'), dataIndex: 'createdAt', sorter: true, render: (v) => bjFormat(v) },
            { title: t('定时', 'Scheduled'), dataIndex: 'scheduledAt', sorter: true, render: (v) => bjFormat(v) },
          ]}
        />
      </Card>
    </div>
  );
}
