import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Card, Input, Select, Space, Switch, Table, TreeSelect, Upload } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { ApiError, upload } from '../api/client';
import type { QaEntryRow } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { QA_STATUS } from '../lib/labels';
import { fmtTime, useQaLookups } from '../lib/qa';
import { StatusTag } from '../components/StatusTag';
import { PageHeader } from '../components/PageHeader';
import { downloadFile } from '../lib/download';
import { errorText } from '../lib/forms';

const EXPIRING_DAYS = 30;

/** 答问库: the entries in the caller's subtree, filtered on the server. */
export default function QaLibrary() {
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { has } = useSession();
  const { message } = App.useApp();
  const lookups = useQaLookups();
  const [importing, setImporting] = useState(false);
  const [importErrors, setImportErrors] = useState<string[] | null>(null);
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [category, setCategory] = useState<string | undefined>();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [expiring, setExpiring] = useState(false);
  const [needsReview, setNeedsReview] = useState(false);
  const list = usePaged<QaEntryRow>(
    '/qa/entries',
    {
      q: q || undefined,
      status,
      category,
      unitId,
      expiringWithinDays: expiring ? EXPIRING_DAYS : undefined,
      needsReview: needsReview || undefined,
    },
    20,
  );
  // All or nothing: the hub checks every row first; a refusal names each row and column.
  const importFile = async (file: File) => {
    setImporting(true);
    setImportErrors(null);
    try {
      const r = await upload<{ imported: number }>('/qa/entries/import', file, () => undefined);
      message.success(t(`已导入 ${r.imported} 条答问，均已送审`, `${r.imported} entries imported and sent to review`));
      await list.reload();
    } catch (e) {
      const rows = e instanceof ApiError ? e.details.map((d) => (d.row ? t(`第 ${d.row} 行：`, `Row ${d.row}: `) : '') + d.message) : [];
      setImportErrors([errorText(e), ...rows]);
    } finally {
      setImporting(false);
    }
  };
  const filtered = q || status || category || unitId || expiring || needsReview;
  return (
    <div>
      <PageHeader
        title={t('答问库', 'Q&A library')}
        extra={
          <Space wrap>
            <Button onClick={() => nav('/qa/gaps')}>{t('知识缺口', 'Gaps')}</Button>
            <Button onClick={() => nav('/qa/synonyms')}>{t('同义词表', 'Synonyms')}</Button>
            <Button onClick={() => nav('/qa/categories')}>{t('分类', 'Categories')}</Button>
            <Button onClick={() => nav('/qa/policies')}>{t('政策文件', 'Policy documents')}</Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => downloadFile('/qa/entries/export', 'qa-entries.xlsx').catch((e) => message.error(errorText(e)))}
            >
              {t('导出', 'Export')}
            </Button>
            {has('editor') && (
              <Upload
                accept=".xlsx"
                showUploadList={false}
                beforeUpload={(file) => {
                  void importFile(file);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={importing}>
                  {t('导入', 'Import')}
                </Button>
              </Upload>
            )}
            {has('editor') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/qa/new')}>
                {t('写答问', 'New entry')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            aria-label={t('按问题搜索', 'Search questions')}
            placeholder={t('按问题搜索', 'Search questions')}
            allowClear
            onSearch={setQ}
            style={{ width: 220 }}
          />
          <Select
            aria-label={t('状态', 'Status')}
            placeholder={t('全部状态', 'All statuses')}
            allowClear
            options={Object.entries(QA_STATUS).map(([value, l]) => ({ value, label: l[lang === 'zh' ? 0 : 1] }))}
            value={status}
            onChange={setStatus}
            style={{ width: 130 }}
          />
          <Select
            aria-label={t('分类', 'Category')}
            placeholder={t('全部分类', 'All categories')}
            allowClear
            options={lookups.categoryOptions}
            value={category}
            onChange={setCategory}
            style={{ width: 160 }}
          />
          <TreeSelect
            aria-label={t('单位', 'Unit')}
            placeholder={t('全部单位', 'All units')}
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeData={lookups.unitTree}
            treeDefaultExpandAll
            value={unitId}
            onChange={setUnitId}
            style={{ width: 180 }}
            data-testid="qa-unit-filter"
          />
          <label>
            <Switch checked={expiring} onChange={setExpiring} size="small" />{' '}
            {t(`${EXPIRING_DAYS} 天内失效`, `Expiring in ${EXPIRING_DAYS} days`)}
          </label>
          <label>
            <Switch checked={needsReview} onChange={setNeedsReview} size="small" /> {t('待复核', 'Needs review')}
          </label>
        </Space>
        {importErrors && (
          <Alert
            type="error"
            closable
            onClose={() => setImportErrors(null)}
            style={{ marginBottom: 12 }}
            data-testid="qa-import-errors"
            title={importErrors[0]}
            description={
              importErrors.length > 1 && (
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {importErrors.slice(1).map((m, i) => (
                    <li key={i}>{m}</li>
                  ))}
                </ul>
              )
            }
          />
        )}
        {list.error && <Alert type="error" title={list.error} />}
        <Table<QaEntryRow>
          rowKey="id"
          size="small"
          data-testid="qa-entries"
          scroll={{ x: 'max-content' }}
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          onChange={list.onTableChange}
          locale={{
            emptyText: filtered
              ? t('没有符合条件的答问', 'No matching entry')
              : t('答问库还是空的：写下第一条答问吧', 'The library is empty: write the first entry'),
          }}
          columns={[
            { title: t('标准问题', 'Question'), dataIndex: 'question', render: (v, r) => <Link to={`/qa/${r.id}`}>{v}</Link> },
            { title: t('分类', 'Category'), dataIndex: 'categoryId', render: (v) => lookups.categoryName(v) || '—' },
            { title: t('单位', 'Unit'), dataIndex: 'unitId', render: (v) => lookups.unitName(v) || '—' },
            {
              title: t('状态', 'Status'),
              dataIndex: 'status',
              render: (v, r) => (
                <Space size={4}>
                  <StatusTag kind="qa" status={v} />
                  {r.needsReview && <StatusTag kind="qa" status="needs_review" />}
                </Space>
              ),
            },
            { title: t('版本', 'Version'), dataIndex: 'currentVersionNumber', render: (v) => `v${v}` },
            { title: t('有效期至', 'Valid until'), dataIndex: 'liveUntil', render: fmtTime },
            { title: t('更新时间', 'Updated'), dataIndex: 'updatedAt', render: fmtTime },
          ]}
        />
      </Card>
    </div>
  );
}
