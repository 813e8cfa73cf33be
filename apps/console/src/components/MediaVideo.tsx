import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Space, Typography } from 'antd';
import { CameraOutlined, DeleteOutlined, PictureOutlined } from '@ant-design/icons';
import { mediaUrl } from '../api/client';
import type { Media } from '../api/types';
import { MediaPicker } from './MediaPicker';
import { useT } from '../lib/i18n';

/** The manuscript's video (Douyin, Toutiao) and its poster frame, the cover those platforms show. */
export interface AttachedVideo {
  id: string;
  name: string;
  /** The chosen video file while it is still in memory; after a reload the stored bytes are fetched. */
  localUrl?: string;
  posterId: string | null;
}

/**
 * Draws the frame `video` shows now into a JPEG. Runs in the browser because the hub has no
 * video decoder (no ffmpeg); the picture is uploaded as an ordinary image and becomes the cover.
 */
export function captureFrame(video: HTMLVideoElement): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  if (!canvas.width || !canvas.height) return Promise.reject(new Error('no picture'));
  canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('no picture'))), 'image/jpeg', 0.9));
}

/** Loads `url` into a detached video element and captures a frame a little way in (the first is often black). */
export function posterFrom(url: string): Promise<Blob> {
  return new Promise((ok, fail) => {
    const v = document.createElement('video');
    v.muted = true;
    v.preload = 'auto';
    v.playsInline = true;
    const timer = window.setTimeout(() => fail(new Error('timeout')), 15_000);
    v.onerror = () => {
      window.clearTimeout(timer);
      fail(new Error('undecodable'));
    };
    v.onloadeddata = () => {
      const at = Number.isFinite(v.duration) && v.duration > 0 ? Math.min(1, v.duration / 10) : 0;
      if (at === 0 || Math.abs(v.currentTime - at) < 0.01) v.onseeked?.(new Event('seeked'));
      else v.currentTime = at;
    };
    v.onseeked = () => {
      window.clearTimeout(timer);
      captureFrame(v).then(ok, fail);
    };
    v.src = url;
  });
}

export function MediaVideo(props: {
  video: AttachedVideo;
  onPoster(file: File): Promise<string | null>;
  onPosterPicked(media: Media): void;
  onRemove(): void;
  posterError: string | null;
}) {
  const t = useT();
  const player = useRef<HTMLVideoElement>(null);
  const [src, setSrc] = useState<string | null>(props.video.localUrl ?? null);
  const [posterSrc, setPosterSrc] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [picking, setPicking] = useState(false);

  useEffect(() => {
    if (props.video.localUrl) return setSrc(props.video.localUrl);
    let live = true;
    void mediaUrl(props.video.id).then((u) => live && setSrc(u));
    return () => {
      live = false;
    };
  }, [props.video.id, props.video.localUrl]);
  useEffect(() => {
    if (!props.video.posterId) return setPosterSrc(null);
    let live = true;
    void mediaUrl(props.video.posterId).then((u) => live && setPosterSrc(u));
    return () => {
      live = false;
    };
  }, [props.video.posterId]);

  const captureCurrent = async () => {
    if (!player.current) return;
    setBusy(true);
    try {
      const blob = await captureFrame(player.current);
      await props.onPoster(new File([blob], `${props.video.name.replace(/\.[^.]+$/, '')}-封面.jpg`, { type: 'image/jpeg' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      title={t('视频（抖音、今日头条发布）', 'Video (for Douyin and Toutiao)')}
      style={{ marginBottom: 8 }}
      data-testid="editor-video"
    >
      <Space align="start" wrap size="large">
        <div>
          {src && (
            <video
              ref={player}
              src={src}
              controls
              muted
              preload="auto"
              style={{ width: 280, maxWidth: '100%', background: '#000' }}
              aria-label={t(`视频：${props.video.name}`, `Video: ${props.video.name}`)}
              data-testid="video-player"
            />
          )}
          <Typography.Text type="secondary" style={{ display: 'block' }}>
            {props.video.name}
          </Typography.Text>
        </div>
        <div>
          <Typography.Text strong style={{ display: 'block', marginBottom: 4 }}>
            {t('封面帧', 'Poster frame')}
          </Typography.Text>
          {posterSrc ? (
            <img
              src={posterSrc}
              alt={t('视频封面', 'Video poster')}
              data-testid="video-poster"
              style={{ width: 160, display: 'block', marginBottom: 8 }}
            />
          ) : (
            <Typography.Paragraph type="secondary">{t('尚无封面', 'No poster yet')}</Typography.Paragraph>
          )}
          <Space wrap>
            <Button size="small" icon={<CameraOutlined />} loading={busy} onClick={() => void captureCurrent()} disabled={!src}>
              {t('用当前画面作封面', 'Use current frame')}
            </Button>
            <Button size="small" icon={<PictureOutlined />} onClick={() => setPicking(true)}>
              {t('从媒体库选封面', 'Poster from library')}
            </Button>
            <Button size="small" danger icon={<DeleteOutlined />} onClick={props.onRemove}>
              {t('移除视频', 'Remove video')}
            </Button>
          </Space>
          {props.posterError && <Alert style={{ marginTop: 8 }} type="warning" showIcon title={props.posterError} />}
        </div>
      </Space>
      <MediaPicker
        open={picking}
        onClose={() => setPicking(false)}
        onPick={(m) => {
          setPicking(false);
          props.onPosterPicked(m);
        }}
      />
    </Card>
  );
}
