import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Input, Space, Typography } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { api, ApiError } from '../api/client';
import { useSession } from '../lib/session';
import { useT } from '../lib/i18n';
import { errorText } from '../lib/forms';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';

interface Groups {
  groups: { terms: string[] }[];
}

const toText = (g: Groups['groups']) => g.map((x) => x.terms.join(' ')).join('\n');
const toGroups = (text: string) =>
  text
    .split('\n')
    .map((l) => l.split(/[\s,，、;；]+/).filter(Boolean))
    .filter((terms) => terms.length > 0)
    .map((terms) => ({ terms }));

/**
 * 同义词表: the province's synonym and abbreviation groups, one group a line, the canonical term
 * first. The hub replaces the whole table at once and every hub re-indexes within seconds.
 */
export default function QaSynonyms() {
  const t = useT();
  const { message } = App.useApp();
  const { has } = useSession();
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const manages = has('platform_operator') || has('supervisor');

  useEffect(() => {
    api<Groups>('/qa/synonyms')
      .then((r) => setText(toText(r.groups)))
      .catch((e) => setError(errorText(e)));
  }, []);

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const r = await api<Groups>('/qa/synonyms', { method: 'PUT', body: { groups: toGroups(text ?? '') } });
      setText(toText(r.groups));
      message.success(t(`已保存 ${r.groups.length} 组同义词`, `${r.groups.length} groups saved`));
    } catch (e) {
      // `groups[3].terms` → 第 4 行: the line the editor sees.
      const lines =
        e instanceof ApiError
          ? e.details.map((d) => {
              const m = /groups\[(\d+)\]/.exec(d.field);
              return m ? t(`第 ${Number(m[1]) + 1} 行：`, `Line ${Number(m[1]) + 1}: `) + d.message : d.message;
            })
          : [];
      setError([errorText(e), ...lines].join('；'));
    } finally {
      setSaving(false);
    }
  };

  if (text === null && !error) return <Loading />;
  return (
    <div>
      <PageHeader
        title={t('同义词表', 'Synonym table')}
        extra={
          manages && (
            <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => void save()}>
              {t('保存同义词表', 'Save the table')}
            </Button>
          )
        }
      />
      <Card>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph style={{ margin: 0 }}>
            {t(
              '每行一组，词之间用空格或顿号分隔，第一个词为标准说法；全省通用，保存后各检索服务几秒内生效。',
              'One group a line, terms separated by spaces; the first term is canonical. Province-wide; search picks it up within seconds.',
            )}
          </Typography.Paragraph>
          {error && <Alert type="error" role="alert" title={error} data-testid="synonyms-error" />}
          <Input.TextArea
            aria-label={t('同义词组', 'Synonym groups')}
            value={text ?? ''}
            onChange={(e) => setText(e.target.value)}
            readOnly={!manages}
            autoSize={{ minRows: 12, maxRows: 30 }}
          />
        </Space>
      </Card>
    </div>
  );
}
