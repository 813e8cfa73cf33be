import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Card, Input, Select, Space, Switch, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Manuscript } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useSession } from '../lib/session';
import { useLang, useT } from '../lib/i18n';
import { CATEGORY, MANUSCRIPT_STATUS, label } from '../lib/labels';
import { StatusTag } from '../components/StatusTag';
import { PageHeader } from '../components/PageHeader';

export default function Manuscripts() {
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const { has } = useSession();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [category, setCategory] = useState<string | undefined>();
  const [mine, setMine] = useState(false);
  const list = usePaged<Manuscript>('/manuscripts', { q: q || undefined, status, category, mine: mine || undefined }, 20);
  const opts = (table: Record<string, [string, string]>) =>
    Object.entries(table).map(([value, l]) => ({ value, label: l[lang === 'zh' ? 0 : 1] }));
  return (
    <div>
      <PageHeader
        title={t('稿件', 'Manuscripts')}
        extra={
          has('editor') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/manuscripts/new')}>
              {t('写稿', 'New manuscript')}
            </Button>
          )
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            aria-label={t('按标题搜索', 'Search titles')}
            placeholder={t('按标题搜索', 'Search titles')}
            allowClear
            onSearch={setQ}
            style={{ width: 240 }}
          />
          <Select
            aria-label={t('状态', 'Status')}
            placeholder={t('全部状态', 'All statuses')}
            allowClear
            options={opts(MANUSCRIPT_STATUS)}
            value={status}
            onChange={setStatus}
            style={{ width: 140 }}
          />
          <Select
            aria-label={t('类别', 'Category')}
            placeholder={t('全部类别', 'All categories')}
            allowClear
            options={opts(CATEGORY)}
            value={category}
            onChange={setCategory}
            style={{ width: 140 }}
          />
          <label>
            <Switch checked={mine} onChange={setMine} size="small" /> {t('只看我的', 'Mine only')}
          </label>
        </Space>
        {list.error && <Alert type="error" title={list.error} />}
        <Table<Manuscript>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          onChange={list.onTableChange}
          locale={{ emptyText: t('没有符合条件的稿件', 'No matching manuscript') }}
          columns={[
            { title: t('标题', 'Title'), dataIndex: 'title', sorter: true, render: (v, r) => <Link to={`/manuscripts/${r.id}`}>{v}</Link> },
            { title: t('类别', 'Category'), dataIndex: 'category', sorter: true, render: (v) => label(CATEGORY, v, lang) },
            { title: t('状态', 'Status'), dataIndex: 'status', sorter: true, render: (v) => <StatusTag kind="manuscript" status={v} /> },
            { title: t('版本', 'Version'), dataIndex: 'currentVersionNumber', render: (v) => `v${v}` },
            {
              title: t('更新时间', 'Updated'),
              dataIndex: 'updatedAt',
              sorter: true,
              render: (v) => new Date(v).toLocaleString('zh-CN', { hour12: false }),
            },
          ]}
        />
      </Card>
    </div>
  );
}
