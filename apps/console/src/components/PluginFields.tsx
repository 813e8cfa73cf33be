import { Form, Input, InputNumber, Switch } from 'antd';
import type { Rule } from 'antd/es/form';
import type { CredentialField, SettingField } from '../api/types';
import { useLang, useT } from '../lib/i18n';
import { settingKind, shortLabel } from '../lib/admin';

/**
 * A plugin's per-account settings (manifest `settings`) as form items under `settings.<name>`.
 * The manifest gives a name, a label, a default and `required`; the input follows the default's
 * type (switch, whole number, text), with URL and JSON checks where the setting is one of those.
 */
export function SettingsFields({ fields }: { fields: SettingField[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <>
      {fields.map((f) => {
        const kind = settingKind(f);
        const name = shortLabel(f.label, lang);
        const rules: Rule[] = [];
        if (f.required && kind !== 'boolean')
          rules.push({ required: true, whitespace: true, message: t(`请填写“${name}”`, `“${name}” is required`) });
        if (kind === 'number')
          rules.push({
            type: 'integer',
            min: 0,
            message: t(`“${name}”须为不小于 0 的整数`, `“${name}” must be a whole number, 0 or more`),
          });
        if (kind === 'url')
          rules.push({
            validator: (_, v: unknown) =>
              !v || /^https?:\/\/[^\s/]+\S*$/i.test(String(v))
                ? Promise.resolve()
                : Promise.reject(new Error(t(`“${name}”须为 http(s):// 开头的网址`, `“${name}” must be an http(s):// URL`))),
          });
        if (kind === 'json')
          rules.push({
            validator: (_, v: unknown) => {
              if (!v || !String(v).trim()) return Promise.resolve();
              try {
                const parsed: unknown = JSON.parse(String(v));
                if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return Promise.resolve();
              } catch {
                /* reported below */
              }
              return Promise.reject(
                new Error(t(`“${name}”须为 JSON 对象，如 {"title":"bt"}`, `“${name}” must be a JSON object such as {"title":"bt"}`)),
              );
            },
          });
        return (
          <Form.Item
            key={f.name}
            name={['settings', f.name]}
            label={f.label[lang]}
            rules={rules}
            valuePropName={kind === 'boolean' ? 'checked' : 'value'}
            data-setting={f.name}
          >
            {kind === 'boolean' ? (
              <Switch aria-label={f.label[lang]} />
            ) : kind === 'number' ? (
              <InputNumber style={{ width: '100%' }} />
            ) : kind === 'json' ? (
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} spellCheck={false} />
            ) : (
              <Input autoComplete="off" spellCheck={false} />
            )}
          </Form.Item>
        );
      })}
    </>
  );
}

/** The values a settings form holds, turned into what PATCH /accounts/:id takes (empty text removes a setting). */
export function settingsPayload(
  fields: SettingField[],
  values: Record<string, unknown> | undefined,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const f of fields) {
    const v = values?.[f.name];
    if (v === undefined) continue;
    if (v === null || (typeof v === 'string' && v.trim() === '')) out[f.name] = null;
    else if (typeof v === 'string') out[f.name] = v.trim();
    else if (typeof v === 'number' || typeof v === 'boolean') out[f.name] = v;
  }
  return out;
}

/**
 * The credential form of a platform (manifest `credentials`, account scope): secrets are
 * write-only, typed as passwords and never filled from the hub (it never sends them back).
 */
export function CredentialFields({ fields }: { fields: CredentialField[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <>
      {fields.map((f) => {
        const name = shortLabel(f.label, lang);
        const rules: Rule[] = [];
        if (f.required) rules.push({ required: true, whitespace: true, message: t(`请填写“${name}”`, `“${name}” is required`) });
        if (f.type === 'url') rules.push({ type: 'url', message: t(`“${name}”须为网址`, `“${name}” must be a URL`) });
        if (f.type === 'number') rules.push({ pattern: /^\d+$/, message: t(`“${name}”须为数字`, `“${name}” must be a number`) });
        if (f.pattern) {
          let re: RegExp | null = null;
          try {
            re = new RegExp(f.pattern);
          } catch {
            re = null; // a plugin's pattern the browser cannot read: the hub still checks it
          }
          if (re) rules.push({ pattern: re, message: t(`“${name}”格式不正确`, `“${name}” is not in the expected format`) });
        }
        return (
          <Form.Item
            key={f.name}
            name={f.name}
            label={f.label[lang]}
            rules={rules}
            extra={f.description?.[lang] ?? (f.secret ? t('保存后不再显示', 'Never shown again once saved') : undefined)}
          >
            {f.secret ? <Input.Password autoComplete="new-password" /> : <Input autoComplete="off" spellCheck={false} />}
          </Form.Item>
        );
      })}
    </>
  );
}
