import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { RenditionItem } from '../api/types';
import { Loading } from '../components/Loading';
import { PlatformIcon } from '../components/PlatformIcon';
import { useLang, useT } from '../lib/i18n';
import { errorText } from '../lib/forms';

/** Plain text of a rendition's body: platform output is shown, never executed. */
function textOf(body: string | undefined): string {
  if (!body) return '';
  if (!/[<&]/.test(body)) return body;
  const doc = new DOMParser().parseFromString(body.replace(/<\/(p|h\d|li|div|section)>/gi, '$&\n'), 'text/html');
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

export default function Preview() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const [items, setItems] = useState<RenditionItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ items: RenditionItem[] }>(`/manuscripts/${id}/renditions`)
      .then((r) => setItems(r.items))
      .catch((e) => setError(errorText(e)));
  }, [id]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('各平台预览', 'Preview on every platform')}
        </Typography.Title>
        <Space>
          <Button icon={<ArrowLeftOutlined />} onClick={() => nav(`/manuscripts/${id}/edit`)}>
            {t('返回编辑', 'Back to the editor')}
          </Button>
          <Button onClick={() => nav(`/manuscripts/${id}`)}>{t('稿件详情', 'Manuscript')}</Button>
        </Space>
      </Space>
      {error && <Alert type="error" title={error} />}
      {!items && !error && <Loading />}
      {items && items.length === 0 && <Empty description={t('本单位尚无可发布账号', 'The unit has no account to publish to')} />}
      <Row gutter={[12, 12]} data-testid="previews">
        {items?.map((it) => {
          const r = it.rendition;
          return (
            <Col key={it.accountId} xs={24} md={12} xl={8} xxl={4}>
              <Card
                size="small"
                data-platform={it.platform}
                title={
                  <h2 style={{ fontSize: 14, margin: 0 }}>
                    <PlatformIcon platform={it.platform} lang={lang} />
                  </h2>
                }
                extra={<Typography.Text type="secondary">{it.accountName}</Typography.Text>}
              >
                {it.skip && it.skip.code !== 'rendition' && (
                  <Alert
                    type="warning"
                    style={{ marginBottom: 8 }}
                    title={t('发布时将跳过此账号', 'Publishing will leave this account out')}
                    description={`${it.skip.reason}。解决办法：${it.skip.fix}`}
                  />
                )}
                {r.violations.length > 0 && (
                  <Alert
                    type="error"
                    style={{ marginBottom: 8 }}
                    title={t('不能发布到此平台', 'Cannot be published here')}
                    description={
                      <ul style={{ margin: 0, paddingLeft: 18 }}>
                        {r.violations.map((w, i) => (
                          <li key={i}>{w.message}</li>
                        ))}
                      </ul>
                    }
                  />
                )}
                {r.fields.title !== undefined && (
                  <Typography.Paragraph strong style={{ marginBottom: 4 }}>
                    {r.fields.title}
                    {it.titleDiffers && (
                      <Tag color="gold" style={{ marginLeft: 6, color: 'rgba(0,0,0,0.88)' }}>
                        {t('标题已调整', 'Title adjusted')}
                      </Tag>
                    )}
                  </Typography.Paragraph>
                )}
                {r.fields.summary && <Typography.Paragraph type="secondary">{r.fields.summary}</Typography.Paragraph>}
                <div className="tf-preview-body" tabIndex={0} role="region" aria-label={`${it.platform} ${t('正文预览', 'body preview')}`}>
                  {textOf(r.fields.body)}
                </div>
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 4 }}>
                  {t(`图片/附件 ${r.assets.length} 个`, `${r.assets.length} asset(s)`)}
                </Typography.Paragraph>
                {r.warnings.length > 0 ? (
                  <List
                    size="small"
                    header={<strong>{t('平台提示', 'Platform warnings')}</strong>}
                    dataSource={r.warnings}
                    renderItem={(w) => (
                      <List.Item data-warning={w.constraint}>
                        <Typography.Text>{w.message}</Typography.Text>
                      </List.Item>
                    )}
                  />
                ) : (
                  <Typography.Text type="success">{t('无截断或裁剪', 'Nothing cut or cropped')}</Typography.Text>
                )}
              </Card>
            </Col>
          );
        })}
      </Row>
    </Space>
  );
}
