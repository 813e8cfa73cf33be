import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Card, Input, InputNumber, Space, Table, TreeSelect, Typography } from 'antd';
import { api } from '../api/client';
import { usePaged } from '../lib/usePaged';
import { useLang, useT } from '../lib/i18n';
import { useSession } from '../lib/session';
import { PageHeader } from '../components/PageHeader';
import { unitTreeData, useUnitTree } from '../lib/unit-tree';
import { formatLocalTime } from '../lib/beijing-time';
import { DARK } from '../lib/notifications';
import { problemText, type Round } from '../lib/supervision';

interface RuleSetDuty {
  id: string;
  jurisdiction: { zh: string; en: string };
  spotCheck?: { minRatio: number; cadence: 'quarter' | 'month' } | null;
}

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

/** The current quarter in Beijing, the usual period of a round (2026-Q4). */
function thisQuarter(): string {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

/**
 * 抽查: the rounds of the caller's subtree, and for supervisors the wizard that opens one (root
 * unit, period, ratio with the jurisdictions' minimums shown, optional seed for a reproducible draw).
 */
export default function SpotChecks() {
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { has } = useSession();
  const manage = has('supervisor');
  const tree = useUnitTree();
  const treeData = useMemo(() => (tree ? [unitTreeData(tree)] : []), [tree]);
  const list = usePaged<Round>('/spot-checks', {}, 20);
  const [duties, setDuties] = useState<RuleSetDuty[]>([]);
  const [rootUnitId, setRoot] = useState<string | undefined>();
  const [period, setPeriod] = useState(thisQuarter());
  const [ratio, setRatio] = useState<number | null>(30);
  const [seed, setSeed] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<RuleSetDuty[]>('/monitoring/rules')
      .then((s) => setDuties(s.filter((x) => x.spotCheck)))
      .catch(() => setDuties([]));
  }, []);

  const open = async () => {
    setError(null);
    if (!rootUnitId) return setError(t('请选择抽查范围单位', 'Choose the root unit'));
    if (!ratio) return setError(t('请填写抽查比例', 'Enter the ratio'));
    setBusy(true);
    try {
      const r = await api<Round>('/spot-checks', {
        method: 'POST',
        body: { rootUnitId, period, ratio: ratio / 100, seed: seed || undefined },
      });
      nav(`/spot-checks/${r.id}`);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title={t('抽查', 'Spot checks')} />
      {manage && (
        <Card
          title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('发起抽查', 'Open a round')}</h2>}
          style={{ marginBottom: 16 }}
          data-testid="round-wizard"
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap align="start">
              <TreeSelect
                aria-label={t('抽查范围单位', 'Root unit')}
                placeholder={t('抽查范围单位', 'Root unit')}
                treeData={treeData}
                treeDefaultExpandAll
                value={rootUnitId}
                onChange={setRoot}
                style={{ width: 220 }}
                data-testid="round-root"
              />
              <Input
                aria-label={t('抽查周期（如 2026-Q4 或 2026-11）', 'Period (2026-Q4 or 2026-11)')}
                value={period}
                onChange={(e) => setPeriod(e.target.value)}
                style={{ width: 130 }}
                data-testid="round-period"
              />
              <InputNumber
                aria-label={t('抽查比例（%）', 'Ratio (%)')}
                min={1}
                max={100}
                value={ratio}
                onChange={setRatio}
                addonAfter="%"
                style={{ width: 130 }}
                data-testid="round-ratio"
              />
              <Input
                aria-label={t('随机种子（可选）', 'Seed (optional)')}
                placeholder={t('随机种子（可选）', 'Seed (optional)')}
                value={seed}
                maxLength={64}
                onChange={(e) => setSeed(e.target.value)}
                style={{ width: 160 }}
                data-testid="round-seed"
              />
              <Button type="primary" loading={busy} onClick={() => void open()} data-testid="round-open">
                {t('抽样并发起', 'Draw and open')}
              </Button>
            </Space>
            <Typography.Text style={DARK} data-testid="round-minimum">
              {t('最低抽查比例：', 'Least ratio: ')}
              {duties
                .map((d) =>
                  lang === 'zh'
                    ? `${d.jurisdiction.zh} ${pct(d.spotCheck!.minRatio)}（每${d.spotCheck!.cadence === 'quarter' ? '季度' : '月'}）`
                    : `${d.jurisdiction.en} ${pct(d.spotCheck!.minRatio)} per ${d.spotCheck!.cadence}`,
                )
                .join(lang === 'zh' ? '；' : '; ')}
              {t(
                '。按平台×单位层级分层抽样；同一种子得到同一样本。',
                '. Drawn per platform × unit level; the same seed gives the same sample.',
              )}
            </Typography.Text>
            {error && <Alert type="error" title={error} data-testid="round-error" />}
          </Space>
        </Card>
      )}
      <Card>
        {list.error && <Alert type="error" title={list.error} style={{ marginBottom: 12 }} />}
        <Table<Round>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          scroll={{ x: 700 }}
          locale={{ emptyText: t('还没有抽查轮次', 'No round yet') }}
          onRow={() => ({ 'data-testid': 'round-row' }) as object}
          columns={[
            { title: t('周期', 'Period'), key: 'period', render: (_: unknown, r) => <Link to={`/spot-checks/${r.id}`}>{r.period}</Link> },
            { title: t('范围', 'Root unit'), dataIndex: 'rootUnitName', key: 'root' },
            { title: t('比例', 'Ratio'), key: 'ratio', render: (_: unknown, r) => `${pct(r.ratio)}（≥ ${pct(r.minRatio)}）` },
            { title: t('抽中 / 总数', 'Drawn / all'), key: 'n', render: (_: unknown, r) => `${r.sampled} / ${r.population}` },
            { title: t('种子', 'Seed'), dataIndex: 'seed', key: 'seed' },
            { title: t('发起时间', 'Opened'), key: 'createdAt', render: (_: unknown, r) => formatLocalTime(r.createdAt, lang) },
          ]}
        />
      </Card>
    </div>
  );
}
