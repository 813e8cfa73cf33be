import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, qs } from '../api/client';
import type { Account, Assignment, Page, Unit } from '../api/types';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { formatLocalTime } from '../lib/beijing-time';
import { CardError, ListCard, PlainCard } from './ListCard';
import { Loading } from './Loading';
import { platformName } from './PlatformIcon';

const DAY = 86_400_000;
// Links beside plain text are told apart by more than colour (axe link-in-text-block).
const UNDERLINE = { textDecoration: 'underline' } as const;
/** Lines of a card, one below the other. */
const STACK = { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: 8 } as const;

function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    load()
      .then(setData)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, deps);
  return { data, error };
}

interface AuditRow {
  seq: number;
  at: string;
  actorName: string | null;
  action: string;
  actionLabel: { zh: string; en: string };
  targetName: string | null;
  result: string;
}

/** 审计管理员: the chain's state and the latest recorded decisions. */
export function AuditorCards() {
  const t = useT();
  const lang = useLang();
  const verify = useLoad(() => api<{ ok: boolean; checked: number; problems: unknown[] }>('/audit/verify'));
  const recent = useLoad(() => api<Page<AuditRow>>(`/audit${qs({ pageSize: 8 })}`));
  return (
    <>
      <PlainCard title={t('审计链校验', 'Audit chain')} testId="audit-chain">
        <CardError error={verify.error} />
        {!verify.data && !verify.error && <Loading />}
        {verify.data && (
          <div style={STACK}>
            <span className="tf-tag" data-tone={verify.data.ok ? 'success' : 'error'}>
              {verify.data.ok
                ? t('完整，未发现篡改', 'Intact')
                : t(`发现 ${verify.data.problems.length} 处问题`, `${verify.data.problems.length} problems`)}
            </span>
            <span>{t(`已校验 ${verify.data.checked} 条记录`, `${verify.data.checked} entries checked`)}</span>
            <Link to="/audit">{t('查看审计日志', 'Open the audit log')}</Link>
          </div>
        )}
      </PlainCard>
      <ListCard<AuditRow>
        title={t('最近的操作', 'Recent actions')}
        testId="audit-recent"
        load={recent}
        items={recent.data?.items ?? []}
        empty={t('暂无记录', 'Nothing recorded')}
        rowKey={(r) => r.seq}
        row={(r) => (
          <>
            <strong>{r.actorName ?? t('系统', 'system')}</strong>
            <span>{r.actionLabel?.[lang] ?? r.action}</span>
            {r.targetName && <span>「{r.targetName}」</span>}
            {r.result !== 'success' && (
              <span className="tf-tag" data-tone="error">
                {t('失败', 'failed')}
              </span>
            )}
            <span className="tf-secondary" style={{ fontSize: 12 }}>
              {formatLocalTime(r.at, lang)}
            </span>
          </>
        )}
      />
    </>
  );
}

interface Ready {
  status: string;
  info?: Record<string, { status: string }>;
  /** On 503 the hub's error shape: a list naming what is down (on 200, terminus's own object). */
  details?: { field: string; message: string }[] | Record<string, unknown>;
}

/** The readiness checks by name (GET /health/ready's info keys). */
const CHECKS: Record<string, { zh: string; en: string }> = {
  startup: { zh: '启动', en: 'Startup' },
  database: { zh: '数据库', en: 'Database' },
  redis: { zh: 'Redis 队列', en: 'Redis' },
};

/** 系统管理员: readiness, queue depths from /metrics, and the plugins loaded or refused. */
export function OperatorCards() {
  const t = useT();
  const lang = useLang();
  const ready = useLoad(async () => {
    const res = await fetch('/health/ready');
    return { ok: res.ok, body: (await res.json().catch(() => ({}))) as Ready };
  });
  const queues = useLoad(async () => {
    const text = await (await fetch('/metrics')).text();
    const out: [string, number][] = [];
    for (const m of text.matchAll(/^tongfa_queue_depth\{[^}]*queue="([^"]+)"[^}]*\}\s+([0-9.e+-]+)$/gm)) out.push([m[1]!, Number(m[2])]);
    return out;
  });
  const plugins = useLoad(() =>
    api<{
      items: { id: string; name: { zh: string; en: string } | string; version: string }[];
      refused?: { id?: string; reason?: string }[];
    }>('/plugins'),
  );
  return (
    <>
      <PlainCard title={t('运行状态', 'Health')} testId="ops-health">
        {!ready.data && !ready.error && <Loading />}
        <CardError error={ready.error} />
        {ready.data && (
          <div style={STACK}>
            <span className="tf-tag" data-tone={ready.data.ok ? 'success' : 'error'}>
              {ready.data.ok ? t('就绪', 'Ready') : t('未就绪', 'Not ready')}
            </span>
            {Object.entries(ready.data.body.info ?? {}).map(([k, v]) => (
              <span key={k}>
                {CHECKS[k] ? CHECKS[k][lang] : k}：{v.status === 'up' ? t('正常', 'up') : v.status}
              </span>
            ))}
            {(Array.isArray(ready.data.body.details) ? ready.data.body.details : []).map((d) => (
              <span key={d.field} className="tf-danger">
                {d.field}: {d.message}
              </span>
            ))}
          </div>
        )}
      </PlainCard>
      <PlainCard title={t('队列积压', 'Queue depth')} testId="ops-queues">
        <CardError error={queues.error} />
        <dl className="tf-stats">
          {(queues.data ?? []).map(([q, n]) => (
            <div key={q}>
              <dt>{q}</dt>
              <dd>{n}</dd>
            </div>
          ))}
        </dl>
        {queues.data?.length === 0 && <span>{t('暂无队列指标', 'No queue metrics')}</span>}
      </PlainCard>
      <PlainCard title={t('平台插件', 'Plugins')} testId="ops-plugins">
        <CardError error={plugins.error} />
        {plugins.data && (
          <div style={STACK}>
            <span>{t(`已加载 ${plugins.data.items.length} 个插件`, `${plugins.data.items.length} loaded`)}</span>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
              {plugins.data.items.map((p) => (
                <span key={p.id} className="tf-tag">
                  {typeof p.name === 'string' ? p.name : p.name[lang]} {p.version}
                </span>
              ))}
            </div>
            {(plugins.data.refused ?? []).length > 0 && (
              <span className="tf-danger">{t(`未加载 ${plugins.data.refused!.length} 个`, `${plugins.data.refused!.length} refused`)}</span>
            )}
          </div>
        )}
      </PlainCard>
    </>
  );
}

/** 主管单位: accounts waiting for approval and accounts going quiet (no post in 10+ days). */
export function SupervisorCards() {
  const t = useT();
  const lang = useLang();
  const applying = useLoad(() => api<Page<Account>>(`/accounts${qs({ status: 'applying', pageSize: 5 })}`));
  const quiet = useLoad(async () => {
    const page = await api<Page<Account>>(`/accounts${qs({ status: 'active', sort: 'lastPostAt', pageSize: 50 })}`);
    const cutoff = Date.now() - 10 * DAY;
    return page.items.filter((a) => !a.lastPostAt || new Date(a.lastPostAt).getTime() < cutoff);
  });
  const { me } = useSession();
  const exemptions = useLoad(() => api<Page<Assignment>>(`/assignments${qs({ exemption: 'requested', pageSize: 10 })}`));
  // 本级及直属下级: each unit's publications of the last 7 days (a count per unit, page size 1).
  const activity = useLoad(async () => {
    const roots = new Set((me?.roles ?? []).filter((r) => r.role === 'supervisor').map((r) => r.unitId));
    const units = (await api<Page<Unit>>(`/units${qs({ pageSize: 200 })}`)).items.filter(
      (u) => roots.has(u.id) || (u.parentId && roots.has(u.parentId)),
    );
    const from = new Date(Date.now() - 7 * DAY).toISOString();
    return Promise.all(
      units.map(async (u) => ({
        unit: u,
        count: (await api<Page<unknown>>(`/publications${qs({ unitId: u.id, from, status: 'published,partial', pageSize: 1 })}`)).total,
      })),
    );
  }, [me]);
  const active = (activity.data ?? []).filter((a) => a.count > 0);
  const idle = (activity.data ?? []).filter((a) => a.count === 0);
  return (
    <>
      <ListCard<Assignment>
        title={t('待您审批的豁免申请', 'Exemption requests waiting for you')}
        testId="sup-exemptions"
        load={exemptions}
        items={exemptions.data?.items ?? []}
        count={exemptions.data?.total}
        empty={t('没有待审批的豁免申请', 'No exemption requests waiting')}
        rowKey={(a) => a.id}
        row={(a) => (
          <>
            <Link to={`/campaigns/${a.campaignId}`} style={UNDERLINE}>
              {t(`${a.unitName}：${a.campaign.title}`, `${a.unitName}: ${a.campaign.title}`)}
            </Link>
            {a.exemption?.reason && <span className="tf-secondary">{a.exemption.reason}</span>}
          </>
        )}
      />
      <PlainCard title={t('下级单位近 7 天发布情况', 'Publishing in the last 7 days')} testId="sup-activity">
        <CardError error={activity.error} />
        {!activity.data && !activity.error ? (
          <Loading />
        ) : (
          <div style={STACK}>
            <strong data-testid="sup-active">
              {t(`有发布（${active.length}）`, `Published (${active.length})`)}：
              {active.map((a) => t(`${a.unit.name} ${a.count} 条`, `${a.unit.name} ${a.count}`)).join('、') || '—'}
            </strong>
            <strong data-testid="sup-idle">
              {t(`无发布（${idle.length}）`, `None (${idle.length})`)}：{idle.map((a) => a.unit.name).join('、') || '—'}
            </strong>
          </div>
        )}
      </PlainCard>
      <ListCard<Account>
        title={t('待审批的账号', 'Accounts waiting for approval')}
        testId="sup-approvals"
        load={applying}
        items={applying.data?.items ?? []}
        count={applying.data?.total}
        empty={t('没有待审批的账号', 'Nothing to approve')}
        rowKey={(a) => a.id}
        row={(a) => (
          <>
            <Link to={`/accounts/${a.id}`} style={UNDERLINE}>
              {a.name}
            </Link>
            <span>{platformName(a.platform, lang)}</span>
          </>
        )}
      />
      <ListCard<Account>
        title={t('有停更风险的账号（10 天以上未更新）', 'Accounts at risk (no post for 10+ days)')}
        testId="sup-at-risk"
        load={quiet}
        items={(quiet.data ?? []).slice(0, 10)}
        empty={t('所有账号近 10 天内均有更新', 'Every account posted in the last 10 days')}
        rowKey={(a) => a.id}
        row={(a) => (
          <>
            <Link to={`/accounts/${a.id}`} style={UNDERLINE}>
              {a.name}
            </Link>
            <span className="tf-secondary">
              {a.lastPostAt
                ? t(`最后更新 ${formatLocalTime(a.lastPostAt, lang)}`, `last post ${formatLocalTime(a.lastPostAt, lang)}`)
                : t('从未发布', 'never posted')}
            </span>
          </>
        )}
      />
    </>
  );
}
