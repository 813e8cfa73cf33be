import { useEffect, useState } from 'react';
import { Collapse, Form, Input, Select, Space, Typography } from 'antd';
import { api } from '../api/client';
import type { PluginManifest } from '../api/types';
import { useLang, useT } from '../lib/i18n';
import { ADAPTATION_FIELDS, type Adaptations, type PlatformAdaptation } from '../lib/adaptations';

type Limit = { max: number; counter: string };
type Manifest = PluginManifest & { constraints?: { body?: Limit; title?: Limit; summary?: Limit } };

/** Where the platform's crop is centred; the presets an editor can tell apart on a phone. */
const CROPS: Array<{ key: string; zh: string; en: string; at?: { x: number; y: number } }> = [
  { key: 'auto', zh: '居中（默认）', en: 'Centre (default)' },
  { key: 'top', zh: '保留上部', en: 'Keep the top', at: { x: 0.5, y: 0 } },
  { key: 'bottom', zh: '保留下部', en: 'Keep the bottom', at: { x: 0.5, y: 1 } },
  { key: 'left', zh: '保留左侧', en: 'Keep the left', at: { x: 0, y: 0.5 } },
  { key: 'right', zh: '保留右侧', en: 'Keep the right', at: { x: 1, y: 0.5 } },
];
const cropKey = (c?: { x: number; y: number }) => CROPS.find((p) => p.at && c && p.at.x === c.x && p.at.y === c.y)?.key ?? 'auto';

type TextField = 'title' | 'summary' | 'text' | 'caption';
const TEXT_FIELDS: TextField[] = ['title', 'summary', 'text', 'caption'];
const FIELD_NAMES: Record<TextField, { zh: string; en: string }> = {
  title: { zh: '标题', en: 'headline' },
  summary: { zh: '摘要', en: 'summary' },
  text: { zh: '文案', en: 'text' },
  caption: { zh: '标题文案', en: 'caption' },
};

const counterName = (c: string, lang: 'zh' | 'en') =>
  c === 'weibo' ? (lang === 'zh' ? '按微博规则计（两个半角字符计 1 字）' : 'Weibo count (two half-width = 1)') : '';

/**
 * 各平台适配: per platform, the editor's own short text, caption and topics, and which image and
 * crop the platform's cover uses. Empty means "as the article"; the hub checks each against the
 * platform's manifest limits and names the field when it refuses.
 */
export function AdaptationPanel({
  value,
  onChange,
  images,
  errors = {},
}: {
  value: Adaptations;
  onChange: (next: Adaptations) => void;
  images: Array<{ id: string; label: string }>;
  /** The hub's refusals by field path (`adaptations.weibo.text`), shown under the field. */
  errors?: Record<string, string>;
}) {
  const t = useT();
  const lang = useLang();
  const [plugins, setPlugins] = useState<Manifest[]>([]);
  useEffect(() => {
    api<{ items: Manifest[] }>('/plugins').then(
      (r) => setPlugins(r.items),
      () => setPlugins([]),
    );
  }, []);

  const set = (platform: string, patch: Partial<PlatformAdaptation>) => {
    const next: PlatformAdaptation = { ...value[platform], ...patch };
    for (const k of Object.keys(next) as Array<keyof PlatformAdaptation>) {
      const v = next[k];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) delete next[k];
    }
    const all = { ...value, [platform]: next };
    if (Object.keys(next).length === 0) delete all[platform];
    onChange(all);
  };

  const [open, setOpen] = useState<string[]>([]);
  // A refused field opens its platform's panel, so the editor sees the message where it applies.
  const failedKey = Object.keys(errors)
    .map((f) => f.split('.')[1])
    .join(',');
  useEffect(() => {
    if (failedKey) setOpen((o) => [...new Set([...o, ...failedKey.split(',')])]);
  }, [failedKey]);
  const problem = (platform: string, field: string) => {
    const msg = errors[`adaptations.${platform}.${field}`];
    return msg ? { validateStatus: 'error' as const, help: msg } : {};
  };
  return (
    <div data-testid="adaptation-panel">
      <Collapse
        activeKey={open}
        onChange={(k) => setOpen(Array.isArray(k) ? k : [k])}
        items={plugins.map((p) => {
          const a = value[p.id] ?? {};
          const fields = ADAPTATION_FIELDS[p.id] ?? [];
          const name = lang === 'zh' ? p.name.zh : p.name.en;
          const limit = (f: TextField) =>
            f === 'text' ? p.constraints?.body : f === 'summary' ? p.constraints?.summary : (p.constraints?.title ?? p.constraints?.body);
          return {
            key: p.id,
            label: (
              <span>
                {name}
                {Object.keys(a).length > 0 && <Typography.Text type="secondary">{t('（已适配）', ' (adapted)')}</Typography.Text>}
              </span>
            ),
            children: (
              <Form layout="vertical" component="div">
                {TEXT_FIELDS.filter((f) => fields.includes(f)).map((f) => {
                  const l = limit(f);
                  const label = t(`${name}${FIELD_NAMES[f].zh}`, `${name} ${FIELD_NAMES[f].en}`);
                  return (
                    <Form.Item
                      key={f}
                      label={label}
                      htmlFor={`adapt-${p.id}-${f}`}
                      {...problem(p.id, f)}
                      extra={
                        l
                          ? t(
                              `最多 ${l.max} 字${counterName(l.counter, 'zh')}；${f === 'title' || f === 'summary' ? '留空则用稿件的' + FIELD_NAMES[f].zh : '留空则按正文生成'}`,
                              `At most ${l.max}${counterName(l.counter, 'en')}; empty: ${f === 'title' || f === 'summary' ? `the article's ${FIELD_NAMES[f].en}` : 'made from the article'}`,
                            )
                          : undefined
                      }
                    >
                      <Input.TextArea
                        id={`adapt-${p.id}-${f}`}
                        rows={f === 'text' || f === 'summary' ? 3 : 1}
                        value={a[f] ?? ''}
                        onChange={(e) => set(p.id, { [f]: e.target.value })}
                      />
                    </Form.Item>
                  );
                })}
                {fields.includes('topics') && (
                  <Form.Item label={t(`${name}话题`, `${name} topics`)} htmlFor={`adapt-${p.id}-topics`} {...problem(p.id, 'topics')}>
                    <Select
                      id={`adapt-${p.id}-topics`}
                      mode="tags"
                      value={a.topics ?? []}
                      onChange={(v: string[]) => set(p.id, { topics: v })}
                      tokenSeparators={[',', '，', ' ']}
                      placeholder={t('输入话题后回车', 'Type a topic and press Enter')}
                    />
                  </Form.Item>
                )}
                <Space wrap style={{ width: '100%' }}>
                  <Form.Item
                    label={t('封面图', 'Cover image')}
                    htmlFor={`adapt-${p.id}-cover`}
                    style={{ minWidth: 200 }}
                    {...problem(p.id, 'coverMediaId')}
                  >
                    <Select
                      id={`adapt-${p.id}-cover`}
                      value={a.coverMediaId ?? ''}
                      onChange={(v: string) => set(p.id, { coverMediaId: v || undefined })}
                      options={[
                        { value: '', label: t('与稿件封面相同', 'Same as the article') },
                        ...images.map((i) => ({ value: i.id, label: i.label })),
                      ]}
                    />
                  </Form.Item>
                  <Form.Item
                    label={t('封面裁剪', 'Cover crop')}
                    htmlFor={`adapt-${p.id}-crop`}
                    style={{ minWidth: 200 }}
                    {...problem(p.id, 'coverCrop')}
                  >
                    <Select
                      id={`adapt-${p.id}-crop`}
                      value={cropKey(a.coverCrop)}
                      onChange={(k: string) => set(p.id, { coverCrop: CROPS.find((c) => c.key === k)?.at })}
                      options={CROPS.map((c) => ({ value: c.key, label: lang === 'zh' ? c.zh : c.en }))}
                    />
                  </Form.Item>
                </Space>
              </Form>
            ),
          };
        })}
      />
    </div>
  );
}
