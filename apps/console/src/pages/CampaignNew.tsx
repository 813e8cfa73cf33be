import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, Radio, Select, Space, Switch, TreeSelect } from 'antd';
import { api, ApiError, qs } from '../api/client';
import type { Campaign, Manuscript, NewCampaign, Page, PluginManifest, Publication, UnitTreeNode } from '../api/types';
import { useSession } from '../lib/session';
import { pick, useLang, useT } from '../lib/i18n';
import { LEVEL, label } from '../lib/labels';
import { applyFieldErrors, errorText } from '../lib/forms';
import { PageHeader } from '../components/PageHeader';
import { PlatformIcon, platformName } from '../components/PlatformIcon';

/** What DatePicker hands back (a Dayjs); only these two methods are used, so dayjs itself is not imported. */
interface Moment {
  valueOf(): number;
  toISOString(): string;
}

type Deadline = { preset: 2 | 12 | 24 } | { preset: 'custom'; at?: Moment };

/** Reminder offsets (minutes before the deadline) that suit a deadline of this many hours. */
function defaultReminders(hours: number): number[] {
  if (hours <= 2) return [30];
  if (hours <= 12) return [120, 30];
  return [240, 60];
}

const atLeastOne = (message: string) => ({
  validator: (_: unknown, v: unknown[] | undefined) => (v?.length ? Promise.resolve() : Promise.reject(new Error(message))),
});

const REMINDER_CHOICES = [15, 30, 60, 120, 240, 480];

interface FormValues {
  title: string;
  instructions?: string;
  sourceKind: 'manuscript' | 'publication';
  source: { manuscriptId?: string; publicationId?: string };
  targetMode: 'units' | 'levels';
  targets: { unitIds?: { value: string; label: string }[]; rootUnitId?: string; levels?: string[] };
  platforms: string[];
  deadline: Deadline;
  reminders: number[];
  allowAdaptation: boolean;
}

function toTree(n: UnitTreeNode, lang: 'zh' | 'en', issuer: string): object {
  return {
    value: n.id,
    title: `${n.name}（${label(LEVEL, n.level, lang)}）`,
    // The issuing unit does not relay to itself.
    disableCheckbox: n.id === issuer,
    children: n.children.map((c) => toTree(c, lang, issuer)),
  };
}

/**
 * The hub names whole groups (`targets`, `source`) where the form shows one field of the group:
 * such problems are put on the field the user sees, so they appear beside what to change.
 */
function onVisibleFields(e: unknown, v: FormValues): unknown {
  if (!(e instanceof ApiError)) return e;
  const visible: Record<string, string> = {
    targets: v.targetMode === 'units' ? 'targets.unitIds' : 'targets.levels',
    'targets.rootUnitId': v.targetMode === 'units' ? 'targets.unitIds' : 'targets.rootUnitId',
    source: v.sourceKind === 'manuscript' ? 'source.manuscriptId' : 'source.publicationId',
  };
  return new ApiError(
    e.status,
    e.message,
    e.details.map((d) => ({ ...d, field: visible[d.field] ?? d.field })),
    e.code,
  );
}

/** Issue a campaign (发起联动): a release of our own unit, relayed by the chosen units by a deadline. */
export default function CampaignNew() {
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { me } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const issuer = me?.roles.find((r) => r.role === 'supervisor')?.unitId ?? me?.unitId ?? '';
  const [tree, setTree] = useState<UnitTreeNode | null>(null);
  const [plugins, setPlugins] = useState<PluginManifest[]>([]);
  const [sources, setSources] = useState<{ value: string; label: string }[]>([]);
  const [sourceQuery, setSourceQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sourceKind = Form.useWatch('sourceKind', form) ?? 'manuscript';
  const targetMode = Form.useWatch('targetMode', form) ?? 'units';

  useEffect(() => {
    if (!issuer) return;
    Promise.all([api<UnitTreeNode>(`/units/${issuer}/tree`), api<{ items: PluginManifest[] }>('/plugins')])
      .then(([tr, p]) => {
        setTree(tr);
        setPlugins(p.items);
      })
      .catch((e) => setError(t(`单位树或平台列表加载失败：${errorText(e)}`, `Could not load units or platforms: ${errorText(e)}`)));
  }, [issuer]);

  // Sources: approved manuscripts or publications of the issuing unit only (the hub refuses others).
  useEffect(() => {
    let stale = false;
    const load =
      sourceKind === 'manuscript'
        ? api<Page<Manuscript>>(`/manuscripts${qs({ status: 'approved', q: sourceQuery || undefined, pageSize: 50 })}`).then((r) =>
            r.items.filter((m) => m.unitId === issuer).map((m) => ({ value: m.id, label: m.title })),
          )
        : api<Page<Publication & { unitId?: string }>>(`/publications${qs({ pageSize: 50 })}`).then((r) =>
            r.items
              // Only what is (partly) live can be relayed and linked.
              .filter((p) => (!p.unitId || p.unitId === issuer) && ['published', 'partial'].includes(p.status))
              .filter((p) => !sourceQuery || (p.title ?? '').includes(sourceQuery))
              .map((p) => ({
                value: p.id,
                label: `${p.title ?? p.manuscriptId.slice(0, 8)} · ${new Date(p.createdAt).toLocaleDateString('zh-CN')}`,
              })),
          );
    load
      .then((s) => !stale && setSources(s))
      .catch((e) => !stale && setError(t(`可选稿件加载失败：${errorText(e)}`, `Could not load sources: ${errorText(e)}`)));
    return () => {
      stale = true;
    };
  }, [sourceKind, sourceQuery, issuer]);

  const treeData = useMemo(() => (tree ? [toTree(tree, lang, issuer)] : []), [tree, lang, issuer]);
  const levelOptions = ['county', 'township', 'department', 'city'].map((l) => ({ value: l, label: label(LEVEL, l, lang) }));

  const submit = async (v: FormValues) => {
    setError(null);
    const hours = v.deadline.preset === 'custom' ? null : v.deadline.preset;
    const at = v.deadline.preset === 'custom' ? v.deadline.at : undefined;
    const body: NewCampaign = {
      title: v.title,
      instructions: v.instructions || undefined,
      source: v.sourceKind === 'manuscript' ? { manuscriptId: v.source.manuscriptId! } : { publicationId: v.source.publicationId! },
      targets:
        v.targetMode === 'units'
          ? { unitIds: (v.targets.unitIds ?? []).map((u) => u.value) }
          : { rootUnitId: v.targets.rootUnitId, levels: v.targets.levels },
      platforms: v.platforms,
      // Presets count from the moment of issuing, not from when the form was opened.
      deadline: hours ? new Date(Date.now() + hours * 3_600_000).toISOString() : at!.toISOString(),
      reminders: v.reminders,
      allowAdaptation: v.allowAdaptation,
    };
    setBusy(true);
    try {
      const c = await api<Campaign>('/campaigns', { body });
      message.success(t('联动任务已下发', 'Campaign issued'));
      nav(`/campaigns/${c.id}`);
    } catch (e) {
      const rest = applyFieldErrors(form, onVisibleFields(e, v));
      if (rest) setError(t(`未能下发：${rest}`, `Not issued: ${rest}`));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title={t('发起联动', 'New campaign')} />
      <Card style={{ maxWidth: 880 }}>
        {error && <Alert type="error" role="alert" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form<FormValues>
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          initialValues={{
            sourceKind: 'manuscript',
            targetMode: 'units',
            targets: { levels: ['county'] },
            platforms: [],
            deadline: { preset: 12 },
            reminders: defaultReminders(12),
            allowAdaptation: false,
          }}
          data-testid="campaign-form"
        >
          <Form.Item
            name="title"
            label={t('任务标题', 'Title')}
            rules={[{ required: true, message: t('请填写任务标题', 'Enter a title') }]}
          >
            <Input maxLength={100} showCount />
          </Form.Item>
          <Form.Item
            name="instructions"
            label={t('转发要求', 'Instructions')}
            extra={t('例如：置顶 24 小时，标题不得改动', 'e.g. pin for 24 hours, keep the title')}
          >
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          <Form.Item name="sourceKind" label={t('转发内容来源', 'Source')}>
            <Radio.Group
              onChange={() => form.setFieldValue('source', {})}
              options={[
                { value: 'manuscript', label: t('本单位已审核稿件', 'An approved manuscript of our unit') },
                { value: 'publication', label: t('本单位已发布内容（可链接原文）', 'A publication of our unit (links the originals)') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name={['source', sourceKind === 'manuscript' ? 'manuscriptId' : 'publicationId']}
            label={sourceKind === 'manuscript' ? t('选择稿件', 'Manuscript') : t('选择发布记录', 'Publication')}
            rules={[{ required: true, message: t('请选择要转发的内容', 'Choose what to relay') }]}
          >
            <Select
              showSearch={{ filterOption: false, onSearch: setSourceQuery }}
              options={sources}
              placeholder={t('输入标题搜索', 'Search by title')}
              notFoundContent={t('本单位没有可转发的已审核稿件', 'No approved manuscript of our unit')}
            />
          </Form.Item>
          <Form.Item name="targetMode" label={t('转发单位', 'Target units')}>
            <Radio.Group
              options={[
                { value: 'units', label: t('从单位树中勾选', 'Pick from the tree') },
                { value: 'levels', label: t('按层级（如全部县区、全部部门）', 'By level (all counties, all departments…)') },
              ]}
            />
          </Form.Item>
          {targetMode === 'units' ? (
            <Form.Item
              name={['targets', 'unitIds']}
              label={t('勾选单位', 'Units')}
              rules={[{ required: true, message: t('请至少勾选一个单位', 'Pick at least one unit') }]}
            >
              <TreeSelect
                treeData={treeData}
                treeCheckable
                // A checked county means the county office, not every township below it.
                treeCheckStrictly
                treeDefaultExpandAll
                showSearch={{ treeNodeFilterProp: 'title' }}
                placeholder={t('展开单位树并勾选', 'Expand the tree and tick units')}
                loading={!tree}
                style={{ width: '100%' }}
                data-testid="target-tree"
              />
            </Form.Item>
          ) : (
            <Space wrap align="start" style={{ width: '100%' }}>
              <Form.Item
                name={['targets', 'rootUnitId']}
                label={t('起始单位', 'Root unit')}
                rules={[{ required: true, message: t('请选择起始单位', 'Choose the root unit') }]}
              >
                <TreeSelect treeData={treeData} treeDefaultExpandAll style={{ minWidth: 260 }} />
              </Form.Item>
              <Form.Item
                name={['targets', 'levels']}
                label={t('其下的层级', 'Levels below it')}
                rules={[atLeastOne(t('请至少选择一个层级', 'Choose at least one level'))]}
              >
                <Checkbox.Group options={levelOptions} role="group" aria-label={t('其下的层级', 'Levels below it')} />
              </Form.Item>
            </Space>
          )}
          {/* A validator, not `required`: antd would put aria-required on the group, which a group may not carry. */}
          <Form.Item
            name="platforms"
            label={t('转发平台', 'Platforms')}
            rules={[atLeastOne(t('请至少选择一个平台', 'Choose at least one platform'))]}
          >
            <Checkbox.Group data-testid="platforms" role="group" aria-label={t('转发平台', 'Platforms')}>
              <Space wrap>
                {plugins.map((p) => (
                  <Checkbox key={p.id} value={p.id}>
                    {/* Our own name for the built-in platforms; a third-party plugin names itself. */}
                    {platformName(p.id, lang) !== p.id ? <PlatformIcon platform={p.id} lang={lang} /> : pick(p.name, lang) || p.id}
                  </Checkbox>
                ))}
              </Space>
            </Checkbox.Group>
          </Form.Item>
          <Form.Item
            name="deadline"
            label={t('完成时限', 'Deadline')}
            rules={[
              {
                validator: (_, d: Deadline | undefined) =>
                  d && (d.preset !== 'custom' || (d.at && d.at.valueOf() > Date.now()))
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('请选择晚于现在的截止时间', 'Choose a deadline in the future'))),
              },
            ]}
          >
            <DeadlineInput
              onPreset={(h) => form.setFieldValue('reminders', defaultReminders(h))}
              labels={{ custom: t('自定义', 'Custom'), hours: (h) => t(`${h} 小时内`, `Within ${h} h`), pickAt: t('截止时间', 'Deadline') }}
            />
          </Form.Item>
          <Form.Item
            name="reminders"
            label={t('截止前提醒', 'Reminders before the deadline')}
            extra={t(
              '提醒发给未完成单位的采编和值班员；逾期后升级提醒单位管理员和发起单位',
              'Sent to editors and duty officers of units not done; after the deadline, escalated to the unit admin and to us',
            )}
          >
            <Select
              mode="multiple"
              options={REMINDER_CHOICES.map((m) => ({
                value: m,
                label: m >= 60 ? t(`提前 ${m / 60} 小时`, `${m / 60} h before`) : t(`提前 ${m} 分钟`, `${m} min before`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="allowAdaptation"
            label={t('允许下级调整措辞', 'Units may adapt the wording')}
            valuePropName="checked"
            extra={t(
              '关闭时正文须与原稿一致；打开后可改导语和措辞，但不得改动事实',
              'Off: the body must stay as issued. On: the lead and wording may change, not the facts',
            )}
          >
            <Switch />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('下发联动任务', 'Issue the campaign')}
            </Button>
            <Button onClick={() => nav('/campaigns')}>{t('取消', 'Cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}

/** Presets 2 / 12 / 24 hours, or a time picked in the calendar; one form value so API errors land on it. */
function DeadlineInput({
  value,
  onChange,
  onPreset,
  labels,
  id,
}: {
  value?: Deadline;
  onChange?: (v: Deadline) => void;
  onPreset: (hours: number) => void;
  labels: { custom: string; hours: (h: number) => string; pickAt: string };
  id?: string;
}) {
  const preset = value?.preset ?? 12;
  return (
    <Space wrap id={id}>
      <Radio.Group
        optionType="button"
        value={preset}
        onChange={(e) => {
          const p = e.target.value as Deadline['preset'];
          if (p === 'custom') onChange?.({ preset: 'custom' });
          else {
            onChange?.({ preset: p });
            onPreset(p);
          }
        }}
        options={[...([2, 12, 24] as const).map((h) => ({ value: h, label: labels.hours(h) })), { value: 'custom', label: labels.custom }]}
      />
      {preset === 'custom' && (
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          aria-label={labels.pickAt}
          disabledDate={(d) => d.valueOf() < Date.now() - 86_400_000}
          onChange={(d) => {
            onChange?.({ preset: 'custom', at: d ?? undefined });
            if (d) onPreset(Math.max(1, (d.valueOf() - Date.now()) / 3_600_000));
          }}
        />
      )}
    </Space>
  );
}
