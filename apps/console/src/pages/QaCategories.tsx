import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Col, Empty, Form, Input, Row, Tree, TreeSelect, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { QaCategory } from '../api/types';
import { useSession } from '../lib/session';
import { useT } from '../lib/i18n';
import { applyFieldErrors, errorText } from '../lib/forms';
import { categoryTree } from '../lib/qa';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';

interface NewCategory {
  name: string;
  parentId?: string | null;
}

/**
 * 答问分类: the province-wide category tree. Everyone reading the library sees it; a province
 * operator or supervisor adds categories under any node (the hub refuses anyone else and a name
 * already taken under the same parent, naming the field).
 */
export default function QaCategories() {
  const t = useT();
  const nav = useNavigate();
  const { message } = App.useApp();
  const { has } = useSession();
  const [form] = Form.useForm<NewCategory>();
  const [categories, setCategories] = useState<QaCategory[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const manages = has('platform_operator') || has('supervisor');

  const load = useCallback(async () => {
    try {
      setCategories(await api<QaCategory[]>('/qa/categories'));
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const tree = useMemo(() => categoryTree(categories ?? []), [categories]);

  const add = async () => {
    let values: NewCategory;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      const row = await api<QaCategory>('/qa/categories', { body: { name: values.name.trim(), parentId: values.parentId ?? null } });
      message.success(t(`已添加分类：${row.pathName}`, `Category added: ${row.pathName}`));
      form.resetFields();
      await load();
    } catch (e) {
      setFormError(applyFieldErrors(form, e));
    } finally {
      setSaving(false);
    }
  };

  if (error) return <Alert type="error" title={error} />;
  if (!categories) return <Loading />;
  return (
    <div>
      <PageHeader
        title={t('答问分类', 'Q&A categories')}
        extra={<Button onClick={() => nav('/qa')}>{t('答问库', 'Q&A library')}</Button>}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={manages ? 14 : 24}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('全省分类', 'Province-wide tree')}</h2>} size="small">
            {tree.length ? (
              // Remounted when a category is added, so the new node shows expanded like the rest.
              <Tree key={categories.length} treeData={tree} defaultExpandAll selectable={false} data-testid="qa-category-tree" />
            ) : (
              <Empty description={t('还没有分类', 'No category yet')} />
            )}
          </Card>
        </Col>
        {manages && (
          <Col xs={24} lg={10}>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('添加分类', 'Add a category')}</h2>} size="small">
              {formError && <Alert type="error" role="alert" title={formError} style={{ marginBottom: 12 }} />}
              <Form<NewCategory> form={form} layout="vertical">
                <Form.Item name="parentId" label={t('上级分类（不选则为一级分类）', 'Parent (none: a top-level category)')}>
                  <TreeSelect
                    allowClear
                    treeData={tree}
                    treeDefaultExpandAll
                    showSearch={{ treeNodeFilterProp: 'title' }}
                    data-testid="qa-category-parent"
                  />
                </Form.Item>
                <Form.Item
                  name="name"
                  label={t('分类名称', 'Name')}
                  rules={[{ required: true, whitespace: true, message: t('请填写分类名称', 'Enter a name') }]}
                >
                  <Input maxLength={60} />
                </Form.Item>
                <Button type="primary" icon={<PlusOutlined />} loading={saving} onClick={() => void add()}>
                  {t('添加', 'Add')}
                </Button>
              </Form>
            </Card>
          </Col>
        )}
      </Row>
      {!manages && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('分类由省级平台运营人员维护', 'The province’s platform operators maintain the tree')}
        </Typography.Paragraph>
      )}
    </div>
  );
}
