import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { api, qs } from '../api/client';
import type { Page } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useLang, useT } from '../lib/i18n';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon, platformName } from '../components/PlatformIcon';
import { unitTreeData, useUnitTree } from '../lib/unit-tree';
import { formatLocalTime } from '../lib/beijing-time';
import { DARK } from '../lib/notifications';
import {
  RULE_KIND,
  RULE_STATE,
  ruleTitle,
  type MonitoredAccount,
  type RuleInfo,
  type RuleSetInfo,
  type RuleStateValue,
} from '../lib/monitoring';

const PLATFORMS = ['weibo', 'wechat', 'douyin', 'toutiao', 'nanfang', 'own-app'];
const KIND_ORDER: RuleInfo['kind'][] = ['veto', 'province', 'hygiene'];

interface RuleGroup {
  rule: RuleInfo;
  breach: number;
  warning: number;
}

/**
 * 监测 for supervisors: the subtree's accounts at risk first. Above the list, each rule with
 * accounts in breach or warning (veto items first) is a group to open; the list takes the
 * unit, platform, rule and state filters to the API.
 */
export default function Monitoring() {
  const t = useT();
  const lang = useLang();
  const tree = useUnitTree();
  const treeData = useMemo(() => (tree ? [unitTreeData(tree)] : []), [tree]);
  const [unitId, setUnitId] = useState<string | undefined>();
  const [platform, setPlatform] = useState<string | undefined>();
  const [rule, setRule] = useState<string | undefined>();
  const [state, setState] = useState<RuleStateValue | undefined>();
  const [sets, setSets] = useState<RuleSetInfo[]>([]);
  const [groups, setGroups] = useState<RuleGroup[] | null>(null);
  const [groupError, setGroupError] = useState<string | null>(null);

  useEffect(() => {
    api<RuleSetInfo[]>('/monitoring/rules')
      .then(setSets)
      .catch((e: Error) => setGroupError(e.message));
  }, []);
  const rules = useMemo(() => new Map(sets.flatMap((s) => s.rules.map((r) => [r.id, r] as const))), [sets]);
  const ordered = useMemo(() => [...rules.values()].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)), [rules]);

  // Counts per rule within the unit and platform filters: one small request per rule and state.
  useEffect(() => {
    if (!ordered.length) return;
    let live = true;
    const count = (ruleId: string, s: RuleStateValue) =>
      api<Page<MonitoredAccount>>(`/monitoring/accounts${qs({ rule: ruleId, state: s, unitId, platform, page: 1, pageSize: 1 })}`).then(
        (p) => p.total,
      );
    Promise.all(ordered.map(async (r) => ({ rule: r, breach: await count(r.id, 'breach'), warning: await count(r.id, 'warning') })))
      .then((g) => {
        if (!live) return;
        setGroups(g.filter((x) => x.breach + x.warning > 0));
        setGroupError(null);
      })
      .catch((e: Error) => live && setGroupError(e.message));
    return () => {
      live = false;
    };
  }, [ordered, unitId, platform]);

  const list = usePaged<MonitoredAccount>('/monitoring/accounts', { unitId, platform, rule, state }, 20);
  const choose = (r: string | undefined, s: RuleStateValue | undefined) => {
    setRule(r);
    setState(s);
  };

  return (
    <div>
      <PageHeader title={t('账号监测', 'Account monitoring')} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap data-testid="monitoring-filters">
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
          <Select
            aria-label={t('检查规则', 'Rule')}
            placeholder={t('全部规则', 'All rules')}
            allowClear
            value={rule}
            onChange={(v) => setRule(v)}
            options={ordered.map((r) => ({ value: r.id, label: r.title[lang] }))}
            style={{ width: 200 }}
            data-testid="filter-rule"
          />
          <Select
            aria-label={t('状态', 'State')}
            placeholder={t('全部状态', 'All states')}
            allowClear
            value={state}
            onChange={(v) => setState(v)}
            options={(['breach', 'warning', 'unknown', 'ok'] as const).map((s) => ({ value: s, label: RULE_STATE[s][lang] }))}
            style={{ width: 130 }}
            data-testid="filter-state"
          />
        </Space>
      </Card>

      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('按规则', 'By rule')}</h2>}
        style={{ marginBottom: 16 }}
        data-testid="rule-groups"
      >
        {groupError && <Alert type="error" title={groupError} />}
        {groups && groups.length === 0 && (
          <Typography.Text style={DARK}>{t('没有不合格或预警的账号', 'No account in breach or warning')}</Typography.Text>
        )}
        <Space wrap>
          {groups?.map((g) => (
            <Card key={g.rule.id} size="small" data-testid="rule-group" data-rule={g.rule.id} style={{ minWidth: 220 }}>
              <Space direction="vertical" size={4}>
                <Space size={4} wrap>
                  <Tag style={DARK}>{RULE_KIND[g.rule.kind][lang]}</Tag>
                  <Typography.Text strong>{g.rule.title[lang]}</Typography.Text>
                </Space>
                <Space size={8} wrap>
                  {g.breach > 0 && (
                    <Button size="small" danger onClick={() => choose(g.rule.id, 'breach')} data-testid="group-breach">
                      {t(`不合格 ${g.breach}`, `Breach ${g.breach}`)}
                    </Button>
                  )}
                  {g.warning > 0 && (
                    <Button size="small" onClick={() => choose(g.rule.id, 'warning')} data-testid="group-warning">
                      {t(`预警 ${g.warning}`, `Warning ${g.warning}`)}
                    </Button>
                  )}
                </Space>
              </Space>
            </Card>
          ))}
        </Space>
      </Card>

      <Card>
        {list.error && <Alert type="error" title={list.error} style={{ marginBottom: 12 }} />}
        <Table<MonitoredAccount>
          rowKey="accountId"
          size="small"
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          scroll={{ x: 760 }}
          data-testid="monitoring-accounts"
          locale={{ emptyText: t('没有符合条件的账号', 'No matching account') }}
          onRow={(a) => ({ 'data-testid': 'monitoring-row', 'data-state': a.worstState }) as object}
          columns={[
            {
              title: t('账号', 'Account'),
              key: 'name',
              render: (_: unknown, a) => (
                <Space size={4}>
                  <PlatformIcon platform={a.platform} lang={lang} withName={false} />
                  <Link to={`/monitoring/accounts/${a.accountId}`}>{a.name ?? a.accountId}</Link>
                </Space>
              ),
            },
            {
              title: t('状态', 'State'),
              key: 'worstState',
              render: (_: unknown, a) => (
                <Tag color={RULE_STATE[a.worstState].color} style={DARK}>
                  {RULE_STATE[a.worstState][lang]}
                </Tag>
              ),
            },
            {
              title: t('问题', 'Problems'),
              key: 'rules',
              render: (_: unknown, a) => (
                <Space size={4} wrap>
                  {a.rules
                    .filter((r) => r.state === 'breach' || r.state === 'warning')
                    .sort((x, y) => (x.state === y.state ? 0 : x.state === 'breach' ? -1 : 1))
                    .map((r) => (
                      <Tag key={r.ruleId} color={RULE_STATE[r.state].color} style={DARK}>
                        {ruleTitle(rules, r.ruleId, lang)}
                        {r.state === 'warning' && r.step ? t(`（第 ${r.step} 天）`, ` (day ${r.step})`) : ''}
                      </Tag>
                    ))}
                </Space>
              ),
            },
            {
              title: t('未更新天数', 'Days silent'),
              dataIndex: 'silentDays',
              key: 'silentDays',
              render: (d: number) => t(`${d} 天`, `${d} d`),
            },
            { title: t('近 7 天发文', 'Posts, 7 days'), dataIndex: 'postsLast7Days', key: 'postsLast7Days' },
            {
              title: t('最近发文', 'Last post'),
              key: 'lastPostAt',
              render: (_: unknown, a) => formatLocalTime(a.lastPostAt, lang),
            },
          ]}
        />
      </Card>
    </div>
  );
}
