import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Input, Space, Typography } from 'antd';
import { api } from '../api/client';
import { useLang, useT } from '../lib/i18n';
import { errorText } from '../lib/forms';
import { fromBjInput, toBjInput } from '../lib/beijing';

interface Plan {
  plannedAt: string | null;
  movable: boolean;
  lockedReason: { zh: string; en: string } | null;
}

/**
 * 计划发布时间 beside the editor: when the manuscript is meant to go out (Beijing time). It shows on
 * the calendar, can be moved there while the review runs, and becomes the publication's scheduled
 * time when the approved manuscript is published without a time of its own.
 */
export function PlannedTime({ manuscriptId }: { manuscriptId: string }) {
  const t = useT();
  const lang = useLang();
  const [plan, setPlan] = useState<Plan | null>(null);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api<Plan>(`/manuscripts/${manuscriptId}/plan`)
      .then((p) => {
        setPlan(p);
        setValue(toBjInput(p.plannedAt));
      })
      .catch((e) => setError(errorText(e)));
  }, [manuscriptId]);

  const save = async (clear: boolean) => {
    const at = clear ? null : fromBjInput(value);
    if (!clear && !at) {
      setError(t('请选择计划发布时间', 'Choose a time'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const p = await api<Plan>(`/manuscripts/${manuscriptId}/plan`, { method: 'PUT', body: { plannedAt: at?.toISOString() ?? null } });
      setPlan(p);
      setValue(toBjInput(p.plannedAt));
      setSaved(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" style={{ marginTop: 16 }} title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('计划发布时间', 'Planned time')}</h2>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input
          type="datetime-local"
          aria-label={t('计划发布时间（北京时间）', 'Planned time (Beijing time)')}
          value={value}
          disabled={!plan?.movable}
          onChange={(e) => {
            setValue(e.target.value);
            setSaved(false);
          }}
          data-testid="planned-at"
        />
        <Typography.Text type="secondary">
          {plan && !plan.movable && plan.lockedReason
            ? plan.lockedReason[lang]
            : t('北京时间。审核通过后发布时默认按此时间定时发布。', 'Beijing time. Publishing after approval schedules it at this time.')}
        </Typography.Text>
        {plan?.movable && (
          <Space wrap>
            <Button size="small" type="primary" loading={busy} onClick={() => void save(false)} data-testid="save-planned-at">
              {t('保存计划时间', 'Save')}
            </Button>
            {plan.plannedAt && (
              <Button size="small" disabled={busy} onClick={() => void save(true)}>
                {t('清除', 'Clear')}
              </Button>
            )}
            <Link to="/calendar">{t('在日历中查看', 'Open the calendar')}</Link>
          </Space>
        )}
        {saved && <span role="status">{t('已保存', 'Saved')}</span>}
        {error && <Alert type="error" role="alert" title={error} />}
      </Space>
    </Card>
  );
}
