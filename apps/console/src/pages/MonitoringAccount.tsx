import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Card, Col, Descriptions, Row, Space, Statistic, Tag, Typography } from 'antd';
import { api } from '../api/client';
import { useLang, useT, type Lang } from '../lib/i18n';
import { PageHeader } from '../components/PageHeader';
import { Loading } from '../components/Loading';
import { PlatformIcon } from '../components/PlatformIcon';
import { formatLocalTime } from '../lib/beijing-time';
import { DARK } from '../lib/notifications';
import {
  evidenceLabel,
  evidenceText,
  POST_SOURCE,
  RULE_KIND,
  RULE_STATE,
  ruleTitle,
  type MonitoredAccountDetail,
  type RuleInfo,
  type RuleSetInfo,
} from '../lib/monitoring';

/**
 * 账号活跃度: one account's last post, posts per week (a CSS bar list, no chart dependency), each
 * rule's state with the evidence that decided it, and the platform's metrics where it gives them.
 */
export default function MonitoringAccount() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const [a, setA] = useState<MonitoredAccountDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sets, setSets] = useState<RuleSetInfo[]>([]);

  useEffect(() => {
    setA(null);
    setError(null);
    api<MonitoredAccountDetail>(`/monitoring/accounts/${id}`)
      .then(setA)
      .catch((e: Error) => setError(e.message));
    api<RuleSetInfo[]>('/monitoring/rules')
      .then(setSets)
      .catch(() => setSets([]));
  }, [id]);
  const rules = useMemo(() => new Map(sets.flatMap((s) => s.rules.map((r) => [r.id, r] as const))), [sets]);

  if (error)
    return (
      <div>
        <PageHeader title={t('账号活跃度', 'Account activity')} />
        <Alert type="error" title={error} />
        <Link to="/monitoring">{t('返回账号监测', 'Back to monitoring')}</Link>
      </div>
    );
  if (!a) return <Loading />;
  const fmt = (iso: string) => formatLocalTime(iso, lang);
  const sorted = [...a.rules].sort((x, y) => rank(y.state) - rank(x.state));

  return (
    <div>
      <PageHeader
        title={a.name ?? t('账号活跃度', 'Account activity')}
        extra={
          <Space wrap>
            <PlatformIcon platform={a.platform} lang={lang} />
            <Tag color={RULE_STATE[a.worstState].color} style={DARK} data-testid="worst-state">
              {RULE_STATE[a.worstState][lang]}
            </Tag>
            <Link to="/monitoring">{t('返回账号监测', 'Back to monitoring')}</Link>
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('最近发文', 'Last post')}</h2>} data-testid="last-post">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('时间', 'Time')}>{formatLocalTime(a.lastPostAt, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('来源', 'Source')}>
                {a.lastPostSource ? POST_SOURCE[a.lastPostSource][lang] : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('链接', 'Link')}>
                {a.lastPostUrl ? (
                  <a href={a.lastPostUrl} target="_blank" rel="noreferrer" style={{ wordBreak: 'break-all' }}>
                    {t('打开', 'Open')}
                  </a>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('未更新天数', 'Days silent')}>
                <span data-testid="silent-days">{t(`${a.silentDays} 天`, `${a.silentDays} days`)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('近 7 天发文', 'Posts, last 7 days')}>{a.postsLast7Days}</Descriptions.Item>
              <Descriptions.Item label={t('统计于', 'Rolled up')}>{formatLocalTime(a.rolledUpAt, lang)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('每周发文（近 12 周）', 'Posts per week (12 weeks)')}</h2>}>
            <WeekBars weeks={a.weeks} lang={lang} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('检查规则', 'Inspection rules')}</h2>} data-testid="rule-states">
            <Space direction="vertical" style={{ width: '100%' }} size={12}>
              {sorted.map((r) => (
                <Card key={r.ruleId} size="small" data-testid="rule-state" data-rule={r.ruleId} data-state={r.state}>
                  <Space wrap size={4} style={{ marginBottom: 8 }}>
                    <Tag color={RULE_STATE[r.state].color} style={DARK}>
                      {RULE_STATE[r.state][lang]}
                      {r.state === 'warning' && r.step ? t(`（第 ${r.step} 天）`, ` (day ${r.step})`) : ''}
                    </Tag>
                    <Typography.Text strong>{ruleTitle(rules, r.ruleId, lang)}</Typography.Text>
                    {rules.get(r.ruleId) && <Tag style={DARK}>{RULE_KIND[(rules.get(r.ruleId) as RuleInfo).kind][lang]}</Tag>}
                    <Typography.Text style={{ color: 'rgba(0,0,0,0.65)', fontSize: 12 }}>
                      {t(
                        `规则集 ${r.ruleSet} ${r.ruleSetVersion} · 自 ${fmt(r.since)} · 判定于 ${fmt(r.evaluatedAt)}`,
                        `Rule set ${r.ruleSet} ${r.ruleSetVersion} · since ${fmt(r.since)} · evaluated ${fmt(r.evaluatedAt)}`,
                      )}
                    </Typography.Text>
                  </Space>
                  {rules.get(r.ruleId) && (
                    <Typography.Paragraph style={{ color: 'rgba(0,0,0,0.75)', marginBottom: 8 }}>
                      {rules.get(r.ruleId)!.description[lang]}
                    </Typography.Paragraph>
                  )}
                  <Descriptions
                    column={{ xs: 1, md: 2 }}
                    size="small"
                    title={<span style={{ fontSize: 14 }}>{t('判定依据', 'Evidence')}</span>}
                  >
                    {Object.entries(r.evidence).map(([k, v]) => (
                      <Descriptions.Item key={k} label={evidenceLabel(k, lang)}>
                        <span style={{ wordBreak: 'break-all' }}>{evidenceText(k, v, lang, fmt)}</span>
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                </Card>
              ))}
              {!sorted.length && <Typography.Text style={DARK}>{t('尚未评估', 'Not evaluated yet')}</Typography.Text>}
            </Space>
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('平台指标', 'Platform metrics')}</h2>} data-testid="metrics">
            {a.metrics ? (
              <Space direction="vertical">
                <Row gutter={[24, 12]}>
                  {(
                    [
                      ['followers', t('粉丝数', 'Followers')],
                      ['reads', t('阅读数', 'Reads')],
                      ['likes', t('点赞数', 'Likes')],
                      ['comments', t('评论数', 'Comments')],
                    ] as const
                  ).map(([k, label]) => (
                    <Col key={k}>
                      <Statistic title={label} value={a.metrics![k] ?? '—'} />
                    </Col>
                  ))}
                </Row>
                <Typography.Text style={{ color: 'rgba(0,0,0,0.65)', fontSize: 12 }}>
                  {t(`数据日期：${a.metrics.day}`, `Figures of ${a.metrics.day}`)}
                </Typography.Text>
              </Space>
            ) : (
              <Typography.Text style={DARK}>{t('该平台暂未提供指标数据', 'The platform gives no metrics yet')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

const rank = (s: string) => ({ breach: 3, warning: 2, unknown: 1, ok: 0 })[s] ?? 0;

/**
 * Weekly posts as horizontal bars: a list (each week's figures are text, so a screen reader and a
 * phone read them as well as the bars), split by source.
 */
function WeekBars({ weeks, lang }: { weeks: MonitoredAccountDetail['weeks']; lang: Lang }) {
  const top = Math.max(1, ...weeks.map((w) => w.tongfa + w.native));
  return (
    <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="week-bars">
      {weeks.map((w) => {
        const n = w.tongfa + w.native;
        return (
          <li
            key={w.week}
            data-testid="week-bar"
            data-week={w.week}
            data-posts={n}
            style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 4 }}
          >
            <span style={{ width: 84, flex: 'none', fontSize: 12, color: 'rgba(0,0,0,0.75)' }}>
              {lang === 'zh' ? `${w.week.slice(5)} 当周` : `Wk ${w.week.slice(5)}`}
            </span>
            <span style={{ flex: 1, display: 'flex', height: 14, background: '#f5f5f5' }} aria-hidden>
              <span style={{ width: `${(w.tongfa / top) * 100}%`, background: '#1677ff' }} />
              <span style={{ width: `${(w.native / top) * 100}%`, background: '#69b1ff' }} />
            </span>
            <span style={{ width: 110, flex: 'none', fontSize: 12, color: 'rgba(0,0,0,0.88)' }}>
              {lang === 'zh' ? `${n} 篇（统发 ${w.tongfa}）` : `${n} (Tongfa ${w.tongfa})`}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
