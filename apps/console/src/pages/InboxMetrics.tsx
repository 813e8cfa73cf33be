import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Col, InputNumber, Row, Space, Statistic, Table, TreeSelect, Typography } from 'antd';
import { api, qs } from '../api/client';
import type { InboxMetrics, InboxMetricsRow, UnitTreeNode } from '../api/types';
import { unitTreeData, useUnitTree } from '../lib/unit-tree';
import { useLang, useT } from '../lib/i18n';
import { bjFormat } from '../lib/beijing';
import { errorText } from '../lib/forms';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon } from '../components/PlatformIcon';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const minutes = (v: number | null, t: (zh: string, en: string) => string) =>
  v === null ? '—' : t(`${Math.round(v)} 分钟`, `${Math.round(v)} min`);

function unitNames(n: UnitTreeNode | null, into = new Map<string, string>()): Map<string, string> {
  if (!n) return into;
  into.set(n.id, n.name);
  for (const c of n.children) unitNames(c, into);
  return into;
}

/**
 * 互动统计: response rate, median first response in working minutes, share answered within the
 * deadline and the old unanswered backlog, per account and unit, over the last 30 days (the hub's
 * default period) — the inputs of the 不互动 inspection rule.
 */
export default function InboxMetricsPage() {
  const t = useT();
  const lang = useLang();
  const tree = useUnitTree();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [older, setOlder] = useState<number>(3);
  const [data, setData] = useState<InboxMetrics | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    api<InboxMetrics>(`/inbox/metrics${qs({ unitId, olderThanDays: older })}`)
      .then((m) => !cancelled && (setData(m), setError(null)))
      .catch((e) => !cancelled && setError(errorText(e)));
    return () => {
      cancelled = true;
    };
  }, [unitId, older]);
  const treeData = useMemo(() => (tree ? [unitTreeData(tree)] : []), [tree]);
  const names = useMemo(() => unitNames(tree), [tree]);

  const metricColumns = [
    { title: t('会话数', 'Threads'), dataIndex: 'threads' },
    { title: t('已答复', 'Answered'), dataIndex: 'answered' },
    { title: t('响应率', 'Response rate'), dataIndex: 'responseRate', render: pct },
    {
      title: t('首次响应中位数（工作时间）', 'Median first response (working time)'),
      dataIndex: 'medianFirstResponseMinutes',
      render: (v: number | null) => minutes(v, t),
    },
    { title: t('按时答复率', 'Answered in time'), dataIndex: 'withinSlaRate', render: pct },
    {
      title: t(`超过 ${data?.olderThanDays ?? older} 天未答复`, `Unanswered over ${data?.olderThanDays ?? older} days`),
      dataIndex: 'unansweredOlder',
    },
  ];

  return (
    <div>
      <PageHeader title={t('互动统计', 'Interaction metrics')} extra={<Link to="/inbox">{t('互动消息', 'Interaction inbox')}</Link>} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap data-testid="metrics-filters">
          <TreeSelect
            aria-label={t('单位', 'Unit')}
            placeholder={t('全部单位', 'All units')}
            allowClear
            treeData={treeData}
            treeDefaultExpandAll
            value={unitId}
            onChange={(v?: string) => setUnitId(v)}
            style={{ width: 200 }}
            data-testid="metrics-unit"
          />
          <Space size={4}>
            <label htmlFor="metrics-older">{t('未答复超过（天）', 'Unanswered for more than (days)')}</label>
            <InputNumber id="metrics-older" min={1} max={365} value={older} onChange={(v) => v && setOlder(v)} style={{ width: 80 }} />
          </Space>
          {data && (
            <Typography.Text type="secondary" data-testid="metrics-period">
              {t('统计期（北京时间）', 'Period (Beijing time)')} {bjFormat(data.from)} — {bjFormat(data.to)}
            </Typography.Text>
          )}
        </Space>
      </Card>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      {data && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={[16, 16]} data-testid="metrics-total">
            {(
              [
                [t('会话数', 'Threads'), String(data.total.threads)],
                [t('响应率', 'Response rate'), pct(data.total.responseRate)],
                [t('首次响应中位数', 'Median first response'), minutes(data.total.medianFirstResponseMinutes, t)],
                [t('按时答复率', 'Answered in time'), pct(data.total.withinSlaRate)],
                [
                  t(`超过 ${data.olderThanDays} 天未答复`, `Unanswered over ${data.olderThanDays} days`),
                  String(data.total.unansweredOlder),
                ],
              ] as [string, string][]
            ).map(([title, value]) => (
              <Col xs={12} md={8} xl={4} key={title}>
                <Card size="small">
                  <Statistic title={title} value={value} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('按单位', 'By unit')}</h2>}>
            <Table<InboxMetricsRow & { unitId: string }>
              rowKey="unitId"
              size="small"
              pagination={false}
              dataSource={data.units}
              scroll={{ x: 820 }}
              data-testid="metrics-units"
              locale={{ emptyText: t('统计期内没有互动', 'No interaction in the period') }}
              columns={[
                { title: t('单位', 'Unit'), dataIndex: 'unitId', render: (v: string) => names.get(v) ?? v.slice(0, 8) },
                ...metricColumns,
              ]}
            />
          </Card>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('按账号', 'By account')}</h2>}>
            <Table<InboxMetrics['accounts'][number]>
              rowKey="accountId"
              size="small"
              pagination={false}
              dataSource={data.accounts}
              scroll={{ x: 900 }}
              data-testid="metrics-accounts"
              locale={{ emptyText: t('统计期内没有互动', 'No interaction in the period') }}
              columns={[
                {
                  title: t('账号', 'Account'),
                  dataIndex: 'accountName',
                  render: (v: string | null, r) => (
                    <Space size={4}>
                      <PlatformIcon platform={r.platform} lang={lang} withName={false} />
                      <span>{v ?? r.accountId.slice(0, 8)}</span>
                    </Space>
                  ),
                },
                { title: t('单位', 'Unit'), dataIndex: 'unitId', render: (v: string) => names.get(v) ?? v.slice(0, 8) },
                ...metricColumns,
              ]}
            />
          </Card>
        </Space>
      )}
    </div>
  );
}
