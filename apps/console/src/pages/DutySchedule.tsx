import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Input, InputNumber, Popconfirm, Select, Space, Table, Tag, Typography, message } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api, ApiError, qs } from '../api/client';
import { useLang, useT, type Lang } from '../lib/i18n';
import { useSession } from '../lib/session';
import { PageHeader } from '../components/PageHeader';
import { Loading } from '../components/Loading';
import { formatLocalTime } from '../lib/beijing-time';
import { bjDayKey, fromBjInput } from '../lib/beijing';
import { DARK } from '../lib/notifications';
import {
  LAYER_DAYS,
  NOTIFY_KIND,
  ROTATION,
  sourceText,
  type DutyLayerInput,
  type DutyLog,
  type EscalationStep,
  type Override,
  type Schedule,
} from '../lib/monitoring';

const PREVIEW_DAYS = 14;
const DAY_MS = 86_400_000;
/** Someone the API accepts on duty at the unit, with the unit of the role that allows it. */
interface Candidate {
  id: string;
  displayName: string;
  role: string;
  unitName: string;
}

/**
 * 值班表: the unit's layers (rotation, handoff in Beijing time, which days), escalation policy and
 * overrides, with the next 14 days' on-call segments as the API computes them. Unit admins edit;
 * everyone else who may read duty sees the same page read-only.
 */
export default function DutySchedule() {
  const { unitId } = useParams();
  const t = useT();
  const lang = useLang();
  const { has } = useSession();
  const canEdit = has('unit_admin');
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [layers, setLayers] = useState<DutyLayerInput[]>([]);
  const [steps, setSteps] = useState<EscalationStep[]>([]);
  const [repeat, setRepeat] = useState(0);
  const [overrides, setOverrides] = useState<Override[]>([]);
  const [preview, setPreview] = useState<DutyLog | null>(null);
  const [people, setPeople] = useState<{ id: string; name: string; unit: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [ov, setOv] = useState<{ userId?: string; start: string; end: string; note: string }>({ start: '', end: '', note: '' });
  const [ovError, setOvError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const from = new Date();
    const to = new Date(from.getTime() + PREVIEW_DAYS * DAY_MS);
    try {
      const [s, o, p] = await Promise.all([
        api<Schedule>(`/duty/units/${unitId}/schedule`),
        api<Override[]>(`/duty/units/${unitId}/overrides${qs({ from: from.toISOString() })}`),
        api<DutyLog>(`/duty/units/${unitId}/log${qs({ from: from.toISOString(), to: to.toISOString() })}`),
      ]);
      setSchedule(s);
      setLayers(s.layers);
      setSteps(s.policy.steps);
      setRepeat(s.policy.repeat);
      setOverrides(o);
      setPreview(p);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [unitId]);
  useEffect(() => {
    void load();
  }, [load]);

  // The people an admin may choose from: exactly those the API accepts for this unit (a duty role
  // at the unit or above it), not the caller's own subtree, which holds sibling units' staff.
  useEffect(() => {
    if (!canEdit) return;
    api<Candidate[]>(`/duty/units/${unitId}/candidates`)
      .then((list) => setPeople(list.map((u) => ({ id: u.id, name: u.displayName, unit: u.unitName }))))
      .catch(() => setPeople([]));
  }, [canEdit, unitId]);

  // Names for read-only viewers come from the preview (who holds the next shifts).
  const names = useMemo(() => {
    const m = new Map<string, string>(people.map((p) => [p.id, p.name]));
    for (const s of preview?.shifts ?? []) if (s.userId && s.displayName) m.set(s.userId, s.displayName);
    return m;
  }, [people, preview]);
  // Editors choose among the candidates; someone already named who no longer qualifies (left, lost
  // the role) stays visible, disabled and marked, so the refusal on save is not a mystery.
  const personOptions = useMemo(() => {
    const offered = people.map((p) => ({
      value: p.id,
      label: lang === 'zh' ? `${p.name}（${p.unit}）` : `${p.name} (${p.unit})`,
      disabled: false,
    }));
    const named = new Set([
      ...layers.flatMap((l) => l.userIds),
      ...steps.flatMap((s) => (s.notify.kind === 'user' ? [s.notify.userId] : [])),
    ]);
    const known = new Set(people.map((p) => p.id));
    const stale = [...named]
      .filter((id): id is string => !!id && !known.has(id))
      .map((id) => ({
        value: id,
        label: `${names.get(id) ?? t('（无权查看的人员）', '(someone outside your view)')}${t('（不可值班）', ' (cannot be on duty)')}`,
        disabled: true,
      }));
    return canEdit ? [...offered, ...stale] : [...names].map(([value, label]) => ({ value, label, disabled: false }));
  }, [names, people, lang, layers, steps, canEdit, t]);
  const nameOf = (id: string) => names.get(id) ?? t('（无权查看的人员）', '(someone outside your view)');

  const setLayer = (i: number, patch: Partial<DutyLayerInput>) => setLayers((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const setStep = (i: number, patch: Partial<EscalationStep>) => setSteps((ss) => ss.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      await api(`/duty/units/${unitId}/schedule`, {
        method: 'PUT',
        body: {
          layers,
          policy: {
            repeat,
            steps: steps.map((s) => ({
              afterMinutes: s.afterMinutes,
              notify: s.notify.kind === 'user' ? s.notify : { kind: s.notify.kind },
            })),
          },
        },
      });
      void message.success(t('值班表已保存', 'Schedule saved'));
      await load();
    } catch (e) {
      setSaveError(problems(e, lang));
    } finally {
      setSaving(false);
    }
  };

  const addOverride = async () => {
    setOvError(null);
    const startsAt = fromBjInput(ov.start);
    const endsAt = fromBjInput(ov.end);
    if (!ov.userId) return setOvError(t('请选择替班人员', 'Choose who takes over'));
    if (!startsAt || !endsAt) return setOvError(t('请填写替班开始和结束时间（北京时间）', 'Enter the start and end (Beijing time)'));
    try {
      await api(`/duty/units/${unitId}/overrides`, {
        method: 'POST',
        body: { userId: ov.userId, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), note: ov.note || undefined },
      });
      void message.success(t('替班已添加', 'Override added'));
      setOv({ start: '', end: '', note: '' });
      await load();
    } catch (e) {
      setOvError(problems(e, lang));
    }
  };

  const removeOverride = async (id: string) => {
    try {
      await api(`/duty/overrides/${id}`, { method: 'DELETE' });
      await load();
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    }
  };

  if (error)
    return (
      <div>
        <PageHeader title={t('值班表', 'Duty schedule')} />
        <Alert type="error" title={error} />
        <Link to="/duty">{t('返回值班值守', 'Back to on duty')}</Link>
      </div>
    );
  if (!schedule || !preview) return <Loading />;

  return (
    <div>
      <PageHeader
        title={t(`值班表：${preview.unitName}`, `Duty schedule: ${preview.unitName}`)}
        extra={
          <Space wrap>
            {!canEdit && (
              <Tag style={DARK} data-testid="read-only">
                {t('只读（仅单位管理员可编辑）', 'Read-only (unit admins edit)')}
              </Tag>
            )}
            <Link to={`/duty/log/${unitId}`}>{t('值班日志', 'Duty log')}</Link>
            <Link to="/duty">{t('返回值班值守', 'Back to on duty')}</Link>
          </Space>
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card
          title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('值班层（后列的层优先）', 'Layers (later layers win)')}</h2>}
          data-testid="layers"
          extra={
            canEdit && (
              <Button
                icon={<PlusOutlined />}
                onClick={() =>
                  setLayers((ls) => [
                    ...ls,
                    {
                      name: t('值班', 'Duty'),
                      userIds: [],
                      rotation: 'daily',
                      handoff: '09:00',
                      startDate: bjDayKey(new Date()),
                      days: 'all',
                    },
                  ])
                }
                data-testid="add-layer"
              >
                {t('添加值班层', 'Add layer')}
              </Button>
            )
          }
        >
          {!layers.length && <Typography.Text style={DARK}>{t('尚未排班', 'No layers yet')}</Typography.Text>}
          <Space direction="vertical" style={{ width: '100%' }}>
            {layers.map((l, i) => (
              <Card size="small" key={i} data-testid="layer" title={t(`第 ${i + 1} 层`, `Layer ${i + 1}`)}>
                {canEdit ? (
                  <Space wrap align="start">
                    <Input
                      aria-label={t('层名称', 'Layer name')}
                      value={l.name}
                      onChange={(e) => setLayer(i, { name: e.target.value })}
                      style={{ width: 140 }}
                      data-testid="layer-name"
                    />
                    <Select
                      mode="multiple"
                      aria-label={t('值班人员（按轮换顺序）', 'People, in rotation order')}
                      placeholder={t('值班人员', 'People')}
                      value={l.userIds}
                      onChange={(v) => setLayer(i, { userIds: v })}
                      options={personOptions}
                      optionFilterProp="label"
                      style={{ minWidth: 220 }}
                      data-testid="layer-people"
                    />
                    <Select
                      aria-label={t('轮换周期', 'Rotation')}
                      value={l.rotation}
                      onChange={(v) => setLayer(i, { rotation: v })}
                      options={(['daily', 'weekly'] as const).map((v) => ({ value: v, label: ROTATION[v][lang] }))}
                      style={{ width: 120 }}
                    />
                    <Input
                      type="time"
                      aria-label={t('交接时间（北京时间）', 'Handoff (Beijing time)')}
                      value={l.handoff}
                      onChange={(e) => setLayer(i, { handoff: e.target.value })}
                      style={{ width: 120 }}
                      data-testid="layer-handoff"
                    />
                    <Input
                      type="date"
                      aria-label={t('首班日期（北京时间）', 'First shift (Beijing date)')}
                      value={l.startDate}
                      onChange={(e) => setLayer(i, { startDate: e.target.value })}
                      style={{ width: 150 }}
                      data-testid="layer-start"
                    />
                    <Select
                      aria-label={t('适用日期', 'Days')}
                      value={l.days}
                      onChange={(v) => setLayer(i, { days: v })}
                      options={(['all', 'workdays', 'restdays'] as const).map((v) => ({ value: v, label: LAYER_DAYS[v][lang] }))}
                      style={{ width: 130 }}
                    />
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={t(`删除第 ${i + 1} 层`, `Remove layer ${i + 1}`)}
                      onClick={() => setLayers((ls) => ls.filter((_, j) => j !== i))}
                    />
                  </Space>
                ) : (
                  <Typography.Paragraph style={{ marginBottom: 0 }} data-testid="layer-text">
                    {l.name} · {l.userIds.map(nameOf).join(' → ')} · {ROTATION[l.rotation][lang]} ·{' '}
                    {t(`每天 ${l.handoff} 交接`, `handoff ${l.handoff}`)} · {t(`自 ${l.startDate}`, `from ${l.startDate}`)} ·{' '}
                    {LAYER_DAYS[l.days][lang]}
                  </Typography.Paragraph>
                )}
              </Card>
            ))}
          </Space>
        </Card>

        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('升级策略', 'Escalation policy')}</h2>} data-testid="policy">
          <Space direction="vertical" style={{ width: '100%' }}>
            {steps.map((s, i) => (
              <Space key={i} wrap data-testid="policy-step">
                <Typography.Text style={DARK}>{t(`第 ${i + 1} 步`, `Step ${i + 1}`)}</Typography.Text>
                {canEdit ? (
                  <>
                    <InputNumber
                      aria-label={t(`第 ${i + 1} 步等待分钟数`, `Step ${i + 1}: minutes to wait`)}
                      min={0}
                      max={10080}
                      value={s.afterMinutes}
                      onChange={(v) => setStep(i, { afterMinutes: Number(v ?? 0) })}
                      addonAfter={t('分钟后', 'min')}
                      style={{ width: 150 }}
                    />
                    <Select
                      aria-label={t(`第 ${i + 1} 步通知对象`, `Step ${i + 1}: notify`)}
                      value={s.notify.kind}
                      onChange={(k) => setStep(i, { notify: { kind: k } })}
                      options={(['on_call', 'parent_on_call', 'user'] as const).map((k) => ({ value: k, label: NOTIFY_KIND[k][lang] }))}
                      style={{ width: 170 }}
                    />
                    {s.notify.kind === 'user' && (
                      <Select
                        aria-label={t(`第 ${i + 1} 步通知人员`, `Step ${i + 1}: person`)}
                        value={s.notify.userId}
                        onChange={(userId) => setStep(i, { notify: { kind: 'user', userId } })}
                        options={personOptions}
                        style={{ width: 160 }}
                      />
                    )}
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={t(`删除第 ${i + 1} 步`, `Remove step ${i + 1}`)}
                      disabled={steps.length <= 1}
                      onClick={() => setSteps((ss) => ss.filter((_, j) => j !== i))}
                    />
                  </>
                ) : (
                  <Typography.Text>
                    {t(`${s.afterMinutes} 分钟后通知`, `after ${s.afterMinutes} min notify`)}{' '}
                    {s.notify.kind === 'user' && s.notify.userId ? nameOf(s.notify.userId) : NOTIFY_KIND[s.notify.kind][lang]}
                  </Typography.Text>
                )}
              </Space>
            ))}
            <Space wrap>
              <Typography.Text style={DARK}>{t('全部步骤再重复', 'Repeat all steps')}</Typography.Text>
              {canEdit ? (
                <InputNumber
                  aria-label={t('重复次数', 'Repeats')}
                  min={0}
                  max={5}
                  value={repeat}
                  onChange={(v) => setRepeat(Number(v ?? 0))}
                />
              ) : (
                <Typography.Text>{repeat}</Typography.Text>
              )}
              <Typography.Text style={DARK}>{t('次', 'times')}</Typography.Text>
              {canEdit && (
                <Button
                  icon={<PlusOutlined />}
                  disabled={steps.length >= 10}
                  onClick={() => setSteps((ss) => [...ss, { afterMinutes: 15, notify: { kind: 'parent_on_call' } }])}
                >
                  {t('添加步骤', 'Add step')}
                </Button>
              )}
            </Space>
          </Space>
        </Card>

        {canEdit && (
          <Space direction="vertical" style={{ width: '100%' }}>
            {saveError && <Alert type="error" title={saveError} data-testid="save-error" />}
            <Button type="primary" loading={saving} onClick={() => void save()} data-testid="save-schedule">
              {t('保存值班表', 'Save schedule')}
            </Button>
          </Space>
        )}

        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('替班', 'Overrides')}</h2>} data-testid="overrides">
          {canEdit && (
            <Space wrap style={{ marginBottom: 12 }} align="start">
              <Select
                aria-label={t('替班人员', 'Who takes over')}
                placeholder={t('替班人员', 'Who takes over')}
                value={ov.userId}
                onChange={(userId) => setOv((o) => ({ ...o, userId }))}
                options={personOptions}
                style={{ width: 160 }}
                data-testid="override-user"
              />
              <Input
                type="datetime-local"
                aria-label={t('替班开始（北京时间）', 'From (Beijing time)')}
                value={ov.start}
                onChange={(e) => setOv((o) => ({ ...o, start: e.target.value }))}
                style={{ width: 200 }}
                data-testid="override-start"
              />
              <Input
                type="datetime-local"
                aria-label={t('替班结束（北京时间）', 'Until (Beijing time)')}
                value={ov.end}
                onChange={(e) => setOv((o) => ({ ...o, end: e.target.value }))}
                style={{ width: 200 }}
                data-testid="override-end"
              />
              <Input
                aria-label={t('备注', 'Note')}
                placeholder={t('备注（可选）', 'Note (optional)')}
                value={ov.note}
                maxLength={200}
                onChange={(e) => setOv((o) => ({ ...o, note: e.target.value }))}
                style={{ width: 160 }}
              />
              <Button onClick={() => void addOverride()} data-testid="add-override">
                {t('添加替班', 'Add override')}
              </Button>
            </Space>
          )}
          {ovError && <Alert type="error" title={ovError} style={{ marginBottom: 12 }} data-testid="override-error" />}
          <Table<Override>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={overrides}
            scroll={{ x: 560 }}
            locale={{ emptyText: t('没有替班', 'No overrides') }}
            columns={[
              { title: t('替班人员', 'Person'), key: 'user', render: (_: unknown, o) => nameOf(o.userId) },
              { title: t('开始（北京时间）', 'From (Beijing)'), key: 'from', render: (_: unknown, o) => formatLocalTime(o.startsAt, lang) },
              { title: t('结束（北京时间）', 'Until (Beijing)'), key: 'to', render: (_: unknown, o) => formatLocalTime(o.endsAt, lang) },
              { title: t('备注', 'Note'), dataIndex: 'note', key: 'note' },
              ...(canEdit
                ? [
                    {
                      title: t('操作', 'Actions'),
                      key: 'actions',
                      render: (_: unknown, o: Override) => (
                        <Popconfirm title={t('撤销这次替班？', 'Remove this override?')} onConfirm={() => void removeOverride(o.id)}>
                          <Button size="small" danger>
                            {t('撤销', 'Remove')}
                          </Button>
                        </Popconfirm>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>

        <Card
          title={<h2 style={{ fontSize: 16, margin: 0 }}>{t(`未来 ${PREVIEW_DAYS} 天值班安排`, `The next ${PREVIEW_DAYS} days`)}</h2>}
          data-testid="preview"
        >
          <Table
            size="small"
            rowKey={(s) => s.from}
            pagination={false}
            dataSource={preview.shifts}
            scroll={{ x: 520 }}
            locale={{ emptyText: t('本单位未排班', 'No schedule at this unit') }}
            onRow={(s) =>
              ({
                'data-testid': 'preview-shift',
                'data-gap': s.userId ? 'false' : 'true',
                className: s.userId ? undefined : 'tf-gap',
              }) as object
            }
            columns={[
              { title: t('开始（北京时间）', 'From (Beijing)'), key: 'from', render: (_: unknown, s) => formatLocalTime(s.from, lang) },
              { title: t('结束（北京时间）', 'Until (Beijing)'), key: 'to', render: (_: unknown, s) => formatLocalTime(s.to, lang) },
              {
                title: t('值班人员', 'On call'),
                key: 'who',
                render: (_: unknown, s) =>
                  s.userId ? (
                    (s.displayName ?? s.userId)
                  ) : (
                    <span style={{ color: '#a8071a', fontWeight: 600 }}>{t('空档（无人值班）', 'Gap (nobody on call)')}</span>
                  ),
              },
              { title: t('依据', 'Source'), key: 'source', render: (_: unknown, s) => sourceText(s.source, lang) },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}

/**
 * The API's problems in words. A refusal of the schedule as a whole (someone who may not be on
 * duty, a range) comes as one sentence that already names the layer and person in the reader's
 * language; field checks come per field, placed here by layer or step, never by their path
 * (`layers.1.userIds`), which means nothing to the person editing.
 */
function problems(e: unknown, lang: Lang): string {
  if (!(e instanceof ApiError) || !e.details.length || e.code !== 'VALIDATION_FAILED') return e instanceof Error ? e.message : String(e);
  const texts = e.details.map((d) => {
    const layer = /^layers\.(\d+)\b/.exec(d.field);
    const step = /^policy\.steps\.(\d+)\b/.exec(d.field);
    const where = layer
      ? lang === 'zh'
        ? `第 ${Number(layer[1]) + 1} 层：`
        : `Layer ${Number(layer[1]) + 1}: `
      : step
        ? lang === 'zh'
          ? `升级第 ${Number(step[1]) + 1} 步：`
          : `Escalation step ${Number(step[1]) + 1}: `
        : '';
    // The API sends the reader's half; a bilingual text from an older hub is cut here.
    const [zh, en] = d.message.split(' / ');
    return where + (lang === 'zh' ? zh : (en ?? zh));
  });
  return [...new Set(texts)].join(lang === 'zh' ? '；' : '; ');
}
