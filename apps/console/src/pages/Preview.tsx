import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, Col, Empty, Row, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Manuscript } from '../api/types';
import { Loading } from '../components/Loading';
import { PlatformIcon } from '../components/PlatformIcon';
import { PlatformPreview } from '../components/PlatformPreview';
import type { AdaptedVersion, RenditionView } from '../lib/adaptations';
import { useLang, useT } from '../lib/i18n';
import { errorText } from '../lib/forms';

/** Each platform as its readers will see the current version: card, post or cover, with the crop and every cut. */
export default function Preview() {
  const { id } = useParams();
  const t = useT();
  const lang = useLang();
  const nav = useNavigate();
  const [items, setItems] = useState<RenditionView[] | null>(null);
  const [version, setVersion] = useState<AdaptedVersion | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([api<{ items: RenditionView[] }>(`/manuscripts/${id}/renditions`), api<Manuscript>(`/manuscripts/${id}`)])
      .then(([r, m]) => {
        setItems(r.items);
        setVersion((m.version as AdaptedVersion | undefined) ?? null);
      })
      .catch((e) => setError(errorText(e)));
  }, [id]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('各平台预览', 'Preview on every platform')}
        </Typography.Title>
        <Space wrap>
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
        {items?.map((it) => (
          <Col key={it.accountId} xs={24} md={12} xl={8}>
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
              <PlatformPreview item={it} coverMediaId={version?.adaptations?.[it.platform]?.coverMediaId ?? version?.coverMediaId} />
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
