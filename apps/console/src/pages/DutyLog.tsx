import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Input, Space, Table, Tag, Typography, message } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api, qs } from '../api/client';
import { useLang, useT } from '../lib/i18n';
import { PageHeader } from '../components/PageHeader';
import { formatLocalTime } from '../lib/beijing-time';
import { bjDayKey, DAY_MS, fromBjDate } from '../lib/beijing';
import { downloadFile } from '../lib/download';
import { ALERT_KIND, DARK, SEVERITY } from '../lib/notifications';
import { sourceText, type DutyLog as Log } from '../lib/monitoring';

type LogAlert = Log['alerts'][number];

/**
 * 值班日志: a unit's shifts and the alerts its on-call people were told of (who acknowledged and
 * resolved them) over a range of Beijing dates, and the same as an xlsx file.
 */
export default function DutyLog() {
  const { unitId } = useParams();
  const t = useT();
  const lang = useLang();
  const today = bjDayKey(new Date());
  const [from, setFrom] = useState(bjDayKey(new Date(Date.now() - 6 * DAY_MS)));
  const [to, setTo] = useState(today);
  const [log, setLog] = useState<Log | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [downloading, setDownloading] = useState(false);

  // The end date is inclusive: up to the start of the next Beijing day.
  const range = useCallback(() => {
    const a = fromBjDate(from);
    const b = fromBjDate(to);
    return a && b ? { from: a.toISOString(), to: new Date(b.getTime() + DAY_MS).toISOString() } : null;
  }, [from, to]);

  useEffect(() => {
    const r = range();
    if (!r) return setError(t('请选择开始和结束日期', 'Choose the start and end dates'));
    let live = true;
    setLoading(true);
    api<Log>(`/duty/units/${unitId}/log${qs(r)}`)
      .then((l) => {
        if (!live) return;
        setLog(l);
        setError(null);
      })
      .catch((e: Error) => live && setError(e.message))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [unitId, range]);

  const download = async () => {
    const r = range();
    if (!r) return;
    setDownloading(true);
    try {
      await downloadFile(`/duty/units/${unitId}/log${qs({ ...r, format: 'xlsx' })}`, `值班日志-${from}-${to}.xlsx`);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div>
      <PageHeader
        title={log ? t(`值班日志：${log.unitName}`, `Duty log: ${log.unitName}`) : t('值班日志', 'Duty log')}
        extra={
          <Space wrap>
            <Link to={`/duty/schedule/${unitId}`}>{t('值班表', 'Schedule')}</Link>
            <Link to="/duty">{t('返回值班值守', 'Back to on duty')}</Link>
          </Space>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <Input
            type="date"
            aria-label={t('开始日期（北京时间）', 'From (Beijing date)')}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            style={{ width: 160 }}
            data-testid="log-from"
          />
          <Input
            type="date"
            aria-label={t('结束日期（北京时间，含当天）', 'To (Beijing date, inclusive)')}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            style={{ width: 160 }}
            data-testid="log-to"
          />
          <Button
            icon={<DownloadOutlined />}
            loading={downloading}
            onClick={() => void download()}
            disabled={!!error}
            data-testid="log-xlsx"
          >
            {t('下载 Excel', 'Download xlsx')}
          </Button>
        </Space>
      </Card>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} data-testid="log-error" />}
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('班次', 'Shifts')}</h2>}>
          <Table
            size="small"
            rowKey={(s) => s.from}
            loading={loading}
            pagination={false}
            dataSource={log?.shifts ?? []}
            scroll={{ x: 520 }}
            locale={{ emptyText: t('本单位在此期间未排班', 'No schedule at this unit in the range') }}
            onRow={(s) => ({ 'data-testid': 'log-shift', className: s.userId ? undefined : 'tf-gap' }) as object}
            columns={[
              { title: t('开始（北京时间）', 'From (Beijing)'), key: 'from', render: (_: unknown, s) => formatLocalTime(s.from, lang) },
              { title: t('结束（北京时间）', 'Until (Beijing)'), key: 'to', render: (_: unknown, s) => formatLocalTime(s.to, lang) },
              {
                title: t('值班人员', 'On call'),
                key: 'who',
                render: (_: unknown, s) =>
                  s.userId ? (s.displayName ?? '—') : <span style={{ color: '#a8071a', fontWeight: 600 }}>{t('空档', 'Gap')}</span>,
              },
              { title: t('依据', 'Source'), key: 'source', render: (_: unknown, s) => sourceText(s.source, lang) },
            ]}
          />
        </Card>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('提醒处置', 'Alerts')}</h2>}>
          <Table<LogAlert>
            size="small"
            rowKey="alertId"
            loading={loading}
            pagination={false}
            dataSource={log?.alerts ?? []}
            scroll={{ x: 760 }}
            locale={{ emptyText: t('此期间没有提醒', 'No alerts in the range') }}
            onRow={() => ({ 'data-testid': 'log-alert' }) as object}
            columns={[
              {
                title: t('提醒', 'Alert'),
                key: 'title',
                render: (_: unknown, a) => (
                  <Space wrap size={4}>
                    <Tag color={SEVERITY[a.severity as keyof typeof SEVERITY]?.color} style={DARK}>
                      {SEVERITY[a.severity as keyof typeof SEVERITY]?.[lang] ?? a.severity}
                    </Tag>
                    <span>{a.title[lang]}</span>
                    <Typography.Text style={{ color: 'rgba(0,0,0,0.65)', fontSize: 12 }}>
                      {ALERT_KIND[a.kind]?.[lang] ?? ''}
                    </Typography.Text>
                  </Space>
                ),
              },
              { title: t('发生时间', 'Raised'), key: 'createdAt', render: (_: unknown, a) => formatLocalTime(a.createdAt, lang) },
              {
                title: t('已通知', 'Told'),
                key: 'notified',
                render: (_: unknown, a) => a.notified.map((n) => `${n.displayName}（${formatLocalTime(n.at, lang)}）`).join('；'),
              },
              {
                title: t('确认', 'Acknowledged'),
                key: 'ack',
                render: (_: unknown, a) =>
                  a.acknowledgedAt ? `${a.acknowledgedByName ?? ''} ${formatLocalTime(a.acknowledgedAt, lang)}` : '—',
              },
              {
                title: t('处置完毕', 'Resolved'),
                key: 'resolved',
                render: (_: unknown, a) => (a.resolvedAt ? `${a.resolvedByName ?? ''} ${formatLocalTime(a.resolvedAt, lang)}` : '—'),
              },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
