import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Input, Space, Table, Typography } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { api, qs } from '../api/client';
import { downloadFile } from '../lib/download';
import type { AuditEntry } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useT } from '../lib/i18n';
import { errorText } from '../lib/forms';
import { PageHeader } from '../components/PageHeader';

interface Verify {
  ok: boolean;
  checked: number;
  problems: { seq: number; problem?: string; kind?: string }[];
}

export default function Audit() {
  const t = useT();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [range, setRange] = useState<[string, string] | null>(null);
  const filters = { q: search || undefined, from: range?.[0], to: range?.[1] };
  const list = usePaged<AuditEntry>('/audit', filters, 20);
  const [verify, setVerify] = useState<Verify | null>(null);
  const [busy, setBusy] = useState(false);
  const [exporting, setExporting] = useState(false);

  /** The filtered log as xlsx (the server names the file). */
  const runExport = async () => {
    setExporting(true);
    try {
      await downloadFile(`/audit/export${qs(filters)}`, t('审计日志.xlsx', 'audit-log.xlsx'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  const runVerify = async () => {
    setBusy(true);
    try {
      setVerify(await api<Verify>('/audit/verify'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader
        title={t('审计日志', 'Audit log')}
        extra={
          <Space wrap>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void runExport()}>
              {t('导出 Excel', 'Export xlsx')}
            </Button>
            <Button type="primary" icon={<SafetyCertificateOutlined />} loading={busy} onClick={() => void runVerify()}>
              {t('校验审计链', 'Verify the chain')}
            </Button>
          </Space>
        }
      />
      {verify && (
        <Alert
          style={{ marginBottom: 12 }}
          type={verify.ok ? 'success' : 'error'}
          data-testid="verify-result"
          title={
            verify.ok
              ? t(`审计链完整：已校验 ${verify.checked} 条记录`, `The chain is intact: ${verify.checked} entries checked`)
              : t(`发现 ${verify.problems.length} 处被篡改或删除的记录`, `${verify.problems.length} entries were edited or deleted`)
          }
          description={!verify.ok && verify.problems.map((p) => `#${p.seq} ${p.problem ?? p.kind ?? ''}`).join('；')}
        />
      )}
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            aria-label={t('搜索审计日志', 'Search the audit log')}
            placeholder={t('搜索操作、操作人或对象，如 审核通过、稿件标题', 'Action, actor or target, e.g. Review approved')}
            allowClear
            onSearch={setSearch}
            style={{ width: 'min(340px, 100%)' }}
          />
          <DatePicker.RangePicker
            aria-label={t('时间范围', 'Time range')}
            showTime
            onChange={(v) => setRange(v?.[0] && v[1] ? [v[0].toISOString(), v[1].toISOString()] : null)}
          />
        </Space>
        {list.error && <Alert type="error" title={list.error} />}
        <Table<AuditEntry>
          rowKey={(r) => String(r.seq ?? r.id)}
          size="small"
          scroll={{ x: 'max-content' }}
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          onChange={list.onTableChange}
          locale={{ emptyText: t('没有记录', 'No entries') }}
          columns={[
            { title: '#', dataIndex: 'seq', sorter: true },
            {
              title: t('时间', 'Time'),
              dataIndex: 'at',
              sorter: true,
              render: (v) => (v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '—'),
            },
            { title: t('操作人', 'Actor'), dataIndex: 'actorName', render: (v) => v ?? '—' },
            {
              title: t('操作', 'Action'),
              dataIndex: 'action',
              sorter: true,
              render: (v: string, r) => (
                <span title={v}>{r.actionLabel ? t(r.actionLabel.zh, r.actionLabel.en) : <Typography.Text code>{v}</Typography.Text>}</span>
              ),
            },
            {
              title: t('对象', 'Target'),
              render: (_, r) => {
                if (!r.targetType) return '—';
                const kind = r.targetTypeLabel ? t(r.targetTypeLabel.zh, r.targetTypeLabel.en) : r.targetType;
                // Ids are time-ordered (UUIDv7): their heads repeat, so a nameless target shows its tail.
                const name = r.targetName ?? (r.targetId ? `…${r.targetId.slice(-8)}` : '');
                return (
                  <span title={r.targetId ?? undefined}>
                    <Typography.Text type="secondary">{kind}</Typography.Text> {name}
                  </span>
                );
              },
            },
            {
              title: t('结果', 'Result'),
              dataIndex: 'result',
              render: (v) => (v === 'success' ? t('成功', 'Success') : t('失败', 'Failure')),
            },
            { title: 'IP', dataIndex: 'ip', render: (v) => v ?? '—' },
          ]}
        />
      </Card>
    </div>
  );
}
