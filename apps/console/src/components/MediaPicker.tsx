import { useEffect, useState } from 'react';
import { Alert, Button, Card, Empty, Input, List, Modal, Typography } from 'antd';
import { VideoCameraOutlined } from '@ant-design/icons';
import { mediaUrl } from '../api/client';
import type { Media } from '../api/types';
import { usePaged } from '../lib/usePaged';
import { useT } from '../lib/i18n';

/** What a person reads as the item's name: its caption, else the file name it was uploaded as. */
export function mediaTitle(m: Media): string {
  return m.caption || m.originalName || m.id.slice(0, 8);
}

/** Beijing time, whatever the browser's zone: the hub's users all work by it. */
export function mediaTime(s: string | undefined): string {
  return s ? new Date(s).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' }) : '—';
}

/** A thumbnail: images through a blob URL (the bytes need the bearer token), videos as a labelled tile. */
export function MediaThumb({ media, height = 120 }: { media: Media; height?: number }) {
  const t = useT();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (media.kind !== 'image') return;
    let live = true;
    mediaUrl(media.id).then(
      (u) => live && setSrc(u),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [media.id, media.kind]);
  const box = { height, width: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' } as const;
  if (media.kind === 'video')
    return (
      <div style={box} role="img" aria-label={t(`视频：${mediaTitle(media)}`, `Video: ${mediaTitle(media)}`)}>
        <VideoCameraOutlined style={{ fontSize: 32, color: '#434343' }} />
        {media.durationSec ? <span style={{ marginLeft: 8 }}>{Math.round(media.durationSec)} s</span> : null}
      </div>
    );
  if (failed) return <div style={box}>{t('无法加载', 'Cannot load')}</div>;
  return (
    <div style={box}>
      {src && <img src={src} alt={media.alt ?? ''} style={{ maxHeight: height, maxWidth: '100%', objectFit: 'contain' }} />}
    </div>
  );
}

/**
 * 从媒体库插入: the unit's images, searchable by caption; picking one hands it back. An image
 * without alt text asks for it here, since every image in an article needs one.
 */
export function MediaPicker(props: { open: boolean; onClose(): void; onPick(media: Media, alt: string): void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<Media | null>(null);
  const [alt, setAlt] = useState('');
  const list = usePaged<Media>(props.open ? '/media' : null, { kind: 'image', q: q || undefined }, 12);
  useEffect(() => {
    if (!props.open) {
      setChosen(null);
      setAlt('');
    }
  }, [props.open]);
  const pick = (m: Media) => {
    setChosen(m);
    setAlt(m.alt ?? '');
  };
  return (
    <Modal
      open={props.open}
      title={t('从媒体库插入', 'Insert from media library')}
      onCancel={props.onClose}
      width={760}
      okText={t('插入', 'Insert')}
      cancelText={t('取消', 'Cancel')}
      okButtonProps={{ disabled: !chosen || !alt.trim(), 'data-testid': 'picker-insert' } as never}
      onOk={() => chosen && props.onPick(chosen, alt.trim())}
      destroyOnHidden
    >
      <Input.Search
        allowClear
        placeholder={t('按图片说明查找', 'Search by caption')}
        aria-label={t('按图片说明查找', 'Search by caption')}
        onSearch={(v) => setQ(v.trim())}
        style={{ marginBottom: 12 }}
      />
      {list.error && <Alert type="error" title={list.error} />}
      <List<Media>
        grid={{ gutter: 12, xs: 2, sm: 3, md: 4 }}
        loading={list.loading}
        dataSource={list.items}
        data-testid="media-picker"
        locale={{ emptyText: <Empty description={t('媒体库里还没有图片', 'No images in the library yet')} /> }}
        pagination={list.total > list.pagination.pageSize ? { ...list.pagination, showSizeChanger: false, size: 'small' } : false}
        renderItem={(m) => (
          <List.Item>
            <Card
              size="small"
              hoverable
              cover={<MediaThumb media={m} height={90} />}
              onClick={() => pick(m)}
              styles={{ body: { padding: 6 } }}
              style={chosen?.id === m.id ? { outline: '3px solid #0b57d0' } : undefined}
            >
              <Button
                type="text"
                size="small"
                block
                style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
                aria-pressed={chosen?.id === m.id}
              >
                {mediaTitle(m)}
              </Button>
            </Card>
          </List.Item>
        )}
      />
      {chosen && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text strong>
            <label htmlFor="picker-alt">{t('替代文本（必填，读屏软件朗读）', 'Alt text (required, read aloud by screen readers)')}</label>
          </Typography.Text>
          <Input id="picker-alt" value={alt} maxLength={200} onChange={(e) => setAlt(e.target.value)} />
        </div>
      )}
    </Modal>
  );
}
