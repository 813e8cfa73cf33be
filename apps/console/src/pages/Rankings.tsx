import { useEffect, useState } from 'react';
import { Alert, Card, Segmented, Select, Space, Table, Typography } from 'antd';
import { api, qs } from '../api/client';
import { useLang, useT } from '../lib/i18n';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon } from '../components/PlatformIcon';
import { label, LEVEL } from '../lib/labels';
import { DARK } from '../lib/notifications';
import { problemText, RANK_INPUT, type Ranking, type RankingRow } from '../lib/supervision';

const LEVELS = ['province', 'city', 'county', 'township', 'department'];

/** 排名: the weekly or monthly ranking per unit level, the formula's version, each score's inputs beside it. */
export default function Rankings() {
  const t = useT();
  const lang = useLang();
  const [period, setPeriod] = useState<'week' | 'month'>('week');
  const [level, setLevel] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Ranking | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Ranking>(`/rankings${qs({ period, level, page, pageSize: 50 })}`)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => setError(problemText(e)));
  }, [period, level, page]);
  const show = (o: Record<string, unknown>) =>
    Object.entries(o)
      .map(([k, v]) => `${RANK_INPUT[k]?.[lang] ?? k} ${Array.isArray(v) ? v.length : v === null ? '—' : String(v)}`)
      .join(' · ');
  return (
    <div>
      <PageHeader
        title={t('账号排名', 'Rankings')}
        extra={
          <Space wrap>
            <Segmented
              aria-label={t('排名周期', 'Period')}
              value={period}
              onChange={(v) => setPeriod(v as 'week' | 'month')}
              options={[
                { label: t('周榜', 'Weekly'), value: 'week' },
                { label: t('月榜', 'Monthly'), value: 'month' },
              ]}
            />
            <Select
              aria-label={t('单位层级', 'Unit level')}
              placeholder={t('全部层级', 'All levels')}
              allowClear
              value={level}
              onChange={setLevel}
              options={LEVELS.map((l) => ({ value: l, label: label(LEVEL, l, lang) }))}
              style={{ width: 130 }}
            />
          </Space>
        }
      />
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Card>
        {data && (
          <Typography.Paragraph style={DARK}>
            {t(
              `统计期 ${data.from} 至 ${data.to} · 公式 ${data.formulaVersion}`,
              `${data.from} to ${data.to} · formula ${data.formulaVersion}`,
            )}
          </Typography.Paragraph>
        )}
        <Table<RankingRow>
          rowKey={(r) => `${r.level}:${r.accountId}`}
          size="small"
          loading={!data && !error}
          dataSource={data?.items ?? []}
          scroll={{ x: 860 }}
          pagination={{ current: page, pageSize: 50, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          locale={{ emptyText: t('暂无排名', 'No ranking') }}
          onRow={() => ({ 'data-testid': 'ranking-row' }) as object}
          columns={[
            { title: t('层级', 'Level'), key: 'level', render: (_: unknown, r) => label(LEVEL, r.level, lang) },
            { title: t('名次', 'Rank'), dataIndex: 'rank', key: 'rank' },
            {
              title: t('账号', 'Account'),
              key: 'account',
              render: (_: unknown, r) => (
                <Space size={4}>
                  <PlatformIcon platform={r.platform} lang={lang} withName={false} />
                  {r.accountName}
                </Space>
              ),
            },
            { title: t('单位', 'Unit'), dataIndex: 'unitName', key: 'unit' },
            { title: t('得分', 'Score'), dataIndex: 'score', key: 'score' },
            { title: t('分项', 'Parts'), key: 'parts', render: (_: unknown, r) => show(r.parts) },
            { title: t('依据', 'Inputs'), key: 'inputs', render: (_: unknown, r) => show(r.inputs) },
          ]}
        />
      </Card>
    </div>
  );
}
