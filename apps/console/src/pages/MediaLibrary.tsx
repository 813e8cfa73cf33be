import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, List, Modal, Radio, Space, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Media } from '../api/types';
import { PageHeader } from '../components/PageHeader';
import { MediaThumb, mediaTime, mediaTitle } from '../components/MediaPicker';
import { usePaged } from '../lib/usePaged';
import { useSession } from '../lib/session';
import { useT } from '../lib/i18n';
import { applyFieldErrors } from '../lib/forms';

interface TextFields {
  caption: string;
  alt: string;
}

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** 媒体库: the unit's uploads, searchable by caption; editors describe them (caption and alt text) for reuse. */
export default function MediaLibrary() {
  const t = useT();
  const { message } = App.useApp();
  const { has } = useSession();
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<'' | 'image' | 'video'>('');
  const [editing, setEditing] = useState<Media | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<TextFields>();
  const list = usePaged<Media>('/media', { q: q || undefined, kind: kind || undefined }, 24);
  const canEdit = has('editor');

  const open = (m: Media) => {
    setEditing(m);
    form.setFieldsValue({ caption: m.caption ?? '', alt: m.alt ?? '' });
  };
  const save = async () => {
    if (!editing) return;
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api(`/media/${editing.id}`, {
        method: 'PATCH',
        body: { caption: v.caption, ...(editing.kind === 'image' ? { alt: v.alt } : {}) },
      });
      message.success(t('已保存', 'Saved'));
      setEditing(null);
      await list.reload();
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      if (rest) message.error(`${t('保存失败', 'Save failed')}：${rest}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div>
      <PageHeader title={t('媒体库', 'Media library')} />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('按说明、替代文本或文件名查找', 'Search caption, alt text or file name')}
            aria-label={t('查找素材', 'Search media')}
            onSearch={(v) => setQ(v.trim())}
            style={{ width: 280, maxWidth: '100%' }}
          />
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value as typeof kind)}
            optionType="button"
            aria-label={t('素材类型', 'Kind')}
            options={[
              { value: '', label: t('全部', 'All') },
              { value: 'image', label: t('图片', 'Images') },
              { value: 'video', label: t('视频', 'Videos') },
            ]}
          />
        </Space>
        {list.error && <Alert type="error" title={list.error} />}
        <List<Media>
          grid={{ gutter: 16, xs: 1, sm: 2, md: 3, lg: 4, xl: 6 }}
          loading={list.loading}
          dataSource={list.items}
          data-testid="media-library"
          pagination={{ ...list.pagination, align: 'center' }}
          locale={{
            emptyText: (
              <Empty
                description={
                  q
                    ? t('没有符合条件的素材', 'No media matches')
                    : t(
                        '还没有上传过素材；在写稿时插入的图片和视频会出现在这里',
                        'Nothing uploaded yet; images and videos inserted while writing appear here',
                      )
                }
              />
            ),
          }}
          renderItem={(m) => (
            <List.Item>
              <Card size="small" cover={<MediaThumb media={m} />} data-testid="media-card" data-media-id={m.id}>
                <Typography.Paragraph strong ellipsis={{ rows: 2 }} style={{ marginBottom: 4 }}>
                  {mediaTitle(m)}
                </Typography.Paragraph>
                {m.kind === 'image' && (
                  <Typography.Paragraph type={m.alt ? 'secondary' : 'danger'} ellipsis={{ rows: 2 }} style={{ marginBottom: 4 }}>
                    {m.alt ? `${t('替代文本', 'Alt')}：${m.alt}` : t('缺少替代文本', 'No alt text')}
                  </Typography.Paragraph>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {m.kind === 'video' ? t('视频', 'Video') : t('图片', 'Image')} · {m.width && m.height ? `${m.width}×${m.height} · ` : ''}
                  {size(m.bytes)} · {mediaTime(m.createdAt)}
                </Typography.Text>
                {canEdit && (
                  <div style={{ marginTop: 8 }}>
                    <Button
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => open(m)}
                      aria-label={t(`编辑说明：${mediaTitle(m)}`, `Edit: ${mediaTitle(m)}`)}
                    >
                      {t('编辑说明', 'Edit')}
                    </Button>
                  </div>
                )}
              </Card>
            </List.Item>
          )}
        />
      </Card>
      <Modal
        open={!!editing}
        title={t('编辑素材说明', 'Edit media description')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText={t('保存', 'Save')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={saving}
        destroyOnHidden
      >
        {editing && <MediaThumb media={editing} height={160} />}
        <Form form={form} layout="vertical" style={{ marginTop: 12 }}>
          <Form.Item
            name="caption"
            label={t('图片说明', 'Caption')}
            rules={[{ max: 200, message: t('最多 200 字', 'At most 200 characters') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          {editing?.kind === 'image' && (
            <Form.Item
              name="alt"
              label={t('替代文本', 'Alt text')}
              extra={t(
                '描述图片内容，供看不见图片的读者使用；插入正文时必填',
                'Describes the picture for readers who cannot see it; required when inserted into a body',
              )}
              rules={[{ max: 200, message: t('最多 200 字', 'At most 200 characters') }]}
            >
              <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
