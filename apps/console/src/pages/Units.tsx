import { ScrollRegion } from '../components/ScrollRegion';
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Unit } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useLang, useT } from '../lib/i18n';
import { LEVEL, label } from '../lib/labels';
import { applyFieldErrors } from '../lib/forms';
import { PageHeader } from '../components/PageHeader';

/** Which levels may sit under which (the hub's rule in libs/identity); 省直管县: a county directly under its province. */
const CHILD_LEVELS: Record<string, string[]> = {
  province: ['city', 'county', 'department'],
  city: ['county', 'department'],
  county: ['township', 'department'],
  township: ['department'],
  department: ['department'],
};

export default function Units() {
  const t = useT();
  const lang = useLang();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [level, setLevel] = useState<string | undefined>();
  const list = usePaged<Unit>('/units', { q: q || undefined, level });
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const levels = Object.entries(LEVEL).map(([value, l]) => ({ value, label: l[lang === 'zh' ? 0 : 1] }));

  const open = (u: Unit | 'new') => {
    setEditing(u);
    setError(null);
    form.resetFields();
    if (u !== 'new') form.setFieldsValue({ name: u.name, creditCode: u.creditCode, regionCode: u.regionCode });
  };

  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      if (editing === 'new') await api('/units', { body: v });
      else await api(`/units/${editing!.id}`, { method: 'PATCH', body: v });
      message.success(t('已保存', 'Saved'));
      setEditing(null);
      void list.reload();
    } catch (e) {
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader
        title={t('单位管理', 'Units')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t('新建单位', 'New unit')}
          </Button>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            aria-label={t('按名称搜索', 'Search by name')}
            placeholder={t('按名称搜索', 'Search by name')}
            allowClear
            onSearch={setQ}
            style={{ width: 240 }}
          />
          <Select
            aria-label={t('级别', 'Level')}
            placeholder={t('全部级别', 'All levels')}
            allowClear
            options={levels}
            value={level}
            onChange={setLevel}
            style={{ width: 160 }}
          />
        </Space>
        {list.error && <Alert type="error" title={list.error} />}
        <ScrollRegion label={t('单位列表', 'Units')} minWidth={640}>
          <Table<Unit>
            rowKey="id"
            size="small"
            loading={list.loading}
            dataSource={list.items}
            pagination={list.pagination}
            onChange={list.onTableChange}
            locale={{ emptyText: t('没有符合条件的单位', 'No matching unit') }}
            columns={[
              { title: t('名称', 'Name'), dataIndex: 'name', sorter: true },
              { title: t('级别', 'Level'), dataIndex: 'level', sorter: true, render: (l) => label(LEVEL, l, lang) },
              { title: t('统一社会信用代码', 'Credit code'), dataIndex: 'creditCode' },
              { title: t('行政区划', 'Region'), dataIndex: 'regionCode' },
              {
                title: t('操作', 'Action'),
                render: (_, u) => (
                  <Button size="small" onClick={() => open(u)}>
                    {t('编辑', 'Edit')}
                  </Button>
                ),
              },
            ]}
          />
        </ScrollRegion>
      </Card>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('新建单位', 'New unit') : t('编辑单位', 'Edit unit')}
        okText={t('保存', 'Save')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ loading: busy }}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
      >
        {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, message: t('必填', 'Required') }]}>
            <Input />
          </Form.Item>
          {editing === 'new' && (
            <>
              <Form.Item name="parentId" label={t('上级单位', 'Parent unit')} rules={[{ required: true, message: t('必填', 'Required') }]}>
                <Select
                  showSearch
                  optionFilterProp="label"
                  options={list.items.map((u) => ({ value: u.id, label: `${u.name}（${label(LEVEL, u.level, lang)}）` }))}
                  onChange={() => form.setFieldValue('level', undefined)}
                />
              </Form.Item>
              <Form.Item noStyle dependencies={['parentId']}>
                {() => {
                  const parent = list.items.find((u) => u.id === form.getFieldValue('parentId'));
                  const allowed = parent ? (CHILD_LEVELS[parent.level] ?? []) : Object.keys(LEVEL);
                  return (
                    <Form.Item
                      name="level"
                      label={t('级别', 'Level')}
                      rules={[{ required: true, message: t('必填', 'Required') }]}
                      extra={
                        parent?.level === 'province'
                          ? t(
                              '省直管县（如海南省、湖北省的直管县市）可直接隶属于省',
                              'A province-administered county (省直管县, e.g. in Hainan or Hubei) may sit directly under the province',
                            )
                          : undefined
                      }
                    >
                      <Select options={levels.filter((l) => allowed.includes(l.value))} />
                    </Form.Item>
                  );
                }}
              </Form.Item>
            </>
          )}
          <Form.Item
            name="creditCode"
            label={t('统一社会信用代码', 'Credit code')}
            rules={[{ required: editing === 'new', message: t('必填', 'Required') }]}
          >
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item
            name="regionCode"
            label={t('行政区划代码', 'Region code')}
            rules={[{ required: editing === 'new', message: t('必填', 'Required') }]}
          >
            <Input maxLength={6} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
