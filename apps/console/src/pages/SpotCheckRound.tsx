import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Descriptions, Input, Pagination, Select, Space, Table, Tag, Typography, message } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api, qs } from '../api/client';
import { useLang, useT } from '../lib/i18n';
import { useSession } from '../lib/session';
import { PageHeader } from '../components/PageHeader';
import { Loading } from '../components/Loading';
import { PlatformIcon, platformName } from '../components/PlatformIcon';
import { downloadFile } from '../lib/download';
import { label, LEVEL } from '../lib/labels';
import { DARK } from '../lib/notifications';
import { FINDING_RESULT, problemText, type RoundDetail, type Sample } from '../lib/supervision';

/** Drawn accounts per page of the findings list. */
const SAMPLE_PAGE = 20;

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

/** The API's "中文 / English" text: the half of the chosen language (both when it has no separator). */
const bilingual = (text: string, lang: 'zh' | 'en') => {
  const m = /\s?\/ (?=[A-Za-z])/.exec(text);
  return !m ? text : lang === 'zh' ? text.slice(0, m.index) : text.slice(m.index + m[0].length);
};

/**
 * 抽查轮次: the seed and how the sample was drawn (re-derived by the API), the strata, each sampled
 * account's checklist with its findings; supervisors record findings (a failure becomes a
 * rectification order), edit 三、工作要求 and download the 通报 as xlsx or PDF.
 */
export default function SpotCheckRound() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const { has } = useSession();
  const manage = has('supervisor');
  const [round, setRound] = useState<RoundDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [requirements, setRequirements] = useState('');
  const [page, setPage] = useState(1);

  const load = useCallback(async () => {
    try {
      const r = await api<RoundDetail>(`/spot-checks/${id}${qs({ page, pageSize: SAMPLE_PAGE })}`);
      setRound(r);
      setRequirements(r.requirements);
      setError(null);
    } catch (e) {
      setError(problemText(e));
    }
  }, [id, page]);
  useEffect(() => {
    void load();
  }, [load]);

  const download = async (format: 'xlsx' | 'pdf') => {
    try {
      await downloadFile(`/spot-checks/${id}/report?format=${format}`, `通报-${round?.period ?? ''}.${format}`);
    } catch (e) {
      void message.error(problemText(e));
    }
  };

  const saveRequirements = async () => {
    try {
      await api(`/spot-checks/${id}`, { method: 'PATCH', body: { requirements } });
      void message.success(t('工作要求已保存', 'Requirements saved'));
    } catch (e) {
      void message.error(problemText(e));
    }
  };

  if (error)
    return (
      <div>
        <PageHeader title={t('抽查轮次', 'Spot-check round')} />
        <Alert type="error" title={error} />
        <Link to="/spot-checks">{t('返回抽查', 'Back to spot checks')}</Link>
      </div>
    );
  if (!round) return <Loading />;

  return (
    <div>
      <PageHeader
        title={t(`抽查：${round.rootUnitName} ${round.period}`, `Spot check: ${round.rootUnitName} ${round.period}`)}
        extra={
          <Space wrap>
            <Button icon={<DownloadOutlined />} onClick={() => void download('xlsx')} data-testid="report-xlsx">
              {t('通报（Excel）', 'Report (xlsx)')}
            </Button>
            <Button icon={<DownloadOutlined />} onClick={() => void download('pdf')} data-testid="report-pdf">
              {t('通报（PDF）', 'Report (PDF)')}
            </Button>
            <Link to="/spot-checks">{t('返回抽查', 'Back to spot checks')}</Link>
          </Space>
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('抽样', 'Sample')}</h2>} data-testid="round-derivation">
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item
              label={t('比例', 'Ratio')}
            >{`${pct(round.ratio)}（${t('最低', 'least')} ${pct(round.minRatio)}）`}</Descriptions.Item>
            <Descriptions.Item label={t('抽中 / 总数', 'Drawn / all')}>{`${round.sampled} / ${round.population}`}</Descriptions.Item>
            <Descriptions.Item label={t('随机种子', 'Seed')}>
              <span data-testid="round-seed-value">{round.seed}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('复核抽样', 'Re-derived')}>
              <Tag color={round.derivation.verified ? 'green' : 'red'} style={DARK} data-testid="derivation-verified">
                {round.derivation.verified ? t('与记录一致', 'matches the record') : t('不一致', 'differs')}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('规则集', 'Rule set')}>{`${round.ruleSet} ${round.ruleSetVersion}`}</Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph style={{ color: 'rgba(0,0,0,0.75)' }} data-testid="derivation-description">
            {bilingual(round.derivation.description, lang)}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={round.strata}
            scroll={{ x: 420 }}
            columns={[
              { title: t('平台', 'Platform'), key: 'p', render: (_: unknown, s) => platformName(s.platform, lang) },
              { title: t('单位层级', 'Level'), key: 'l', render: (_: unknown, s) => label(LEVEL, s.level, lang) },
              { title: t('账号数', 'Accounts'), dataIndex: 'size', key: 'size' },
              { title: t('抽中', 'Drawn'), dataIndex: 'drawn', key: 'drawn' },
            ]}
          />
        </Card>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('检查结果', 'Findings')}</h2>} data-testid="round-findings">
          <Space direction="vertical" style={{ width: '100%' }}>
            {round.sample.items.map((s) => (
              <SampleCard key={s.accountId} s={s} round={round} manage={manage} reload={load} />
            ))}
          </Space>
          {round.sample.total > SAMPLE_PAGE && (
            <Pagination
              style={{ marginTop: 12 }}
              size="small"
              current={page}
              pageSize={SAMPLE_PAGE}
              total={round.sample.total}
              showSizeChanger={false}
              onChange={setPage}
              showTotal={(n) => t(`共抽中 ${n} 个账号`, `${n} accounts drawn`)}
              data-testid="sample-pager"
            />
          )}
        </Card>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('三、工作要求', 'Requirements')}</h2>}>
          <Input.TextArea
            aria-label={t('工作要求', 'Requirements')}
            value={requirements}
            onChange={(e) => setRequirements(e.target.value)}
            autoSize={{ minRows: 3 }}
            readOnly={!manage}
            maxLength={5000}
          />
          {manage && (
            <Button style={{ marginTop: 8 }} onClick={() => void saveRequirements()}>
              {t('保存工作要求', 'Save requirements')}
            </Button>
          )}
        </Card>
      </Space>
    </div>
  );
}

function SampleCard({ s, round, manage, reload }: { s: Sample; round: RoundDetail; manage: boolean; reload: () => Promise<void> }) {
  const t = useT();
  const lang = useLang();
  const [item, setItem] = useState<string | undefined>();
  const [result, setResult] = useState<'pass' | 'fail'>('fail');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const record = async () => {
    setError(null);
    if (!item) return setError(t('请选择检查项', 'Choose a checklist item'));
    try {
      await api(`/spot-checks/${round.id}/findings`, {
        method: 'POST',
        body: { accountId: s.accountId, item, result, note: note || undefined },
      });
      setNote('');
      await reload();
    } catch (e) {
      setError(problemText(e));
    }
  };
  const failed = s.findings.filter((f) => f.result === 'fail').length;
  return (
    <Card size="small" data-testid="sample" data-account={s.accountId}>
      <Space wrap size={4} style={{ marginBottom: 8 }}>
        <PlatformIcon platform={s.platform} lang={lang} withName={false} />
        <Typography.Text strong>{s.accountName}</Typography.Text>
        <Typography.Text style={DARK}>{s.unitName}</Typography.Text>
        {failed > 0 && (
          <Tag color="red" style={DARK}>
            {t(`${failed} 项不合格`, `${failed} failed`)}
          </Tag>
        )}
        {s.snapshot.pageUrl && (
          <a href={s.snapshot.pageUrl} target="_blank" rel="noreferrer">
            {t('账号主页', 'Public page')}
          </a>
        )}
      </Space>
      <Space wrap size={4}>
        {s.findings.map((f) => (
          <Tag
            key={f.id}
            color={FINDING_RESULT[f.result].color}
            style={{ ...DARK, whiteSpace: 'normal', maxWidth: '100%' }}
            data-testid="finding"
            data-item={f.item}
            data-result={f.result}
          >
            {f.itemTitle[lang]}：{FINDING_RESULT[f.result][lang]}
            {f.note ? `（${f.note}）` : ''}
          </Tag>
        ))}
      </Space>
      {manage && (
        <Space wrap style={{ marginTop: 8 }}>
          <Select
            aria-label={t('检查项', 'Checklist item')}
            placeholder={t('检查项', 'Checklist item')}
            value={item}
            onChange={setItem}
            options={round.checklist.map((c) => ({ value: c.id, label: c.title[lang] }))}
            style={{ width: 200 }}
            data-testid="finding-item"
          />
          <Select
            aria-label={t('检查结果', 'Result')}
            value={result}
            onChange={setResult}
            options={(['fail', 'pass'] as const).map((r) => ({ value: r, label: FINDING_RESULT[r][lang] }))}
            style={{ width: 100 }}
            data-testid="finding-result"
          />
          <Input
            aria-label={t('说明', 'Note')}
            placeholder={t('说明（可选）', 'Note (optional)')}
            value={note}
            maxLength={1000}
            onChange={(e) => setNote(e.target.value)}
            style={{ width: 200 }}
            data-testid="finding-note"
          />
          <Button onClick={() => void record()} data-testid="finding-save">
            {t('记录', 'Record')}
          </Button>
        </Space>
      )}
      {error && <Alert type="error" title={error} style={{ marginTop: 8 }} />}
    </Card>
  );
}
