import { Alert, List, Space, Tag, Typography } from 'antd';
import { useLang, useT } from '../lib/i18n';
import type { RenditionCrop, RenditionView } from '../lib/adaptations';
import { MediaImage } from './ArticleView';

/** Plain text of a rendition's body: platform output is shown, never executed. */
export function textOf(body: string | undefined): string {
  if (!body) return '';
  if (!/[<&]/.test(body)) return body;
  const doc = new DOMParser().parseFromString(body.replace(/<\/(p|h\d|li|div|section)>/gi, '$&\n'), 'text/html');
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

const ratio = (a: { width: number; height: number }) => {
  const r = a.width / a.height;
  return Number.isInteger(r) ? `${r}:1` : `${Math.round(a.width * 100) / 100}:${Math.round(a.height * 100) / 100}`;
};

/** The part of the image the platform keeps, shown at the platform's shape. */
export function CroppedImage({ crop, alt, width }: { crop: RenditionCrop; alt: string; width: number | string }) {
  const { rect } = crop;
  const spareX = crop.width - rect.width;
  const spareY = crop.height - rect.height;
  const x = spareX > 0 ? (rect.left / spareX) * 100 : 50;
  const y = spareY > 0 ? (rect.top / spareY) * 100 : 50;
  return (
    <div className="tf-crop" style={{ width, aspectRatio: `${rect.width} / ${rect.height}` }} data-cropped={crop.cropped}>
      <MediaImage
        id={crop.mediaId}
        alt={alt}
        style={{ width: '100%', height: '100%', objectFit: 'cover', objectPosition: `${x}% ${y}%` }}
      />
    </div>
  );
}

/** What each crop means for the reader, in words; empty when the images go out whole. */
function cropNotes(crops: RenditionCrop[], t: ReturnType<typeof useT>, lang: 'zh' | 'en'): string[] {
  return crops
    .filter((c) => c.cropped && c.aspect)
    .map((c) => {
      const kept = Math.round(((c.rect.width * c.rect.height) / (c.width * c.height)) * 100);
      const what = c.role === 'cover' ? t('封面', 'The cover') : t('首图', 'The first image');
      const said =
        c.by === 'platform'
          ? t(
              `${what}在平台信息流中显示为 ${ratio(c.aspect!)}，将被裁剪（原图 ${c.width}×${c.height}，显示 ${kept}%）`,
              `${what} is shown at ${ratio(c.aspect!)} in the platform's feed and will be cropped (source ${c.width}×${c.height}, ${kept}% shown)`,
            )
          : t(
              `${c.role === 'cover' ? '封面' : '图片'}将被平台裁剪为 ${ratio(c.aspect!)}（原图 ${c.width}×${c.height}，保留 ${kept}%）`,
              `${c.role === 'cover' ? 'The cover' : 'An image'} will be cropped to ${ratio(c.aspect!)} (source ${c.width}×${c.height}, ${kept}% kept)`,
            );
      return c.basis === 'assumed' && c.note ? `${said}${lang === 'zh' ? '。' : '. '}${c.note[lang]}` : said;
    });
}

/** One platform's rendition as its readers will see it: the feed card or post, the cover crop, and every change made to fit. */
export function PlatformPreview({ item, coverMediaId }: { item: RenditionView; coverMediaId?: string | null }) {
  const t = useT();
  const lang = useLang();
  const r = item.rendition;
  const crops = item.crops ?? [];
  const coverCrop = crops.find((c) => c.role === 'cover') ?? crops[0];
  const payload = (r.payload ?? {}) as Record<string, unknown>;
  const truncated = item.truncated ?? r.warnings.some((w) => /\.max$/.test(w.constraint));
  const notes = cropNotes(crops, t, lang);
  const cover = (width: number | string, fallbackAspect?: string) =>
    coverCrop ? (
      <CroppedImage crop={coverCrop} alt={t('封面', 'Cover')} width={width} />
    ) : coverMediaId ? (
      <div className="tf-crop" style={{ width, aspectRatio: fallbackAspect }}>
        <MediaImage id={coverMediaId} alt={t('封面', 'Cover')} style={{ width: '100%', height: '100%', objectFit: 'contain' }} />
      </div>
    ) : null;
  const body = textOf(r.fields.body);
  const title = r.fields.title;

  let view: React.ReactNode;
  if (item.platform === 'wechat') {
    view = (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('订阅号消息中的图文卡片', 'Card in the subscription feed')}</Typography.Text>
        <div className="tf-phone" data-testid="wechat-card">
          {cover('100%')}
          <Typography.Paragraph strong style={{ margin: '6px 0 0' }}>
            {title}
          </Typography.Paragraph>
        </div>
        <Typography.Text type="secondary">{t('点开后的文章页', 'The article page')}</Typography.Text>
        <div
          className="tf-phone"
          style={{ maxHeight: 320, overflow: 'auto' }}
          tabIndex={0}
          role="region"
          aria-label={`${item.platform} ${t('文章页', 'article page')}`}
        >
          <Typography.Title level={3} style={{ fontSize: 17 }}>
            {title}
          </Typography.Title>
          <Typography.Text type="secondary">{item.accountName}</Typography.Text>
          {r.fields.summary && <Typography.Paragraph type="secondary">{r.fields.summary}</Typography.Paragraph>}
          <div style={{ whiteSpace: 'pre-wrap' }}>{body}</div>
        </div>
      </Space>
    );
  } else if (item.platform === 'weibo') {
    const link = typeof payload.link === 'string' ? payload.link : '';
    view = (
      <div className="tf-phone" data-testid="weibo-post">
        <Typography.Text strong>{item.accountName}</Typography.Text>
        <div
          style={{ whiteSpace: 'pre-wrap', margin: '6px 0' }}
          tabIndex={0}
          role="region"
          aria-label={`${item.platform} ${t('正文预览', 'body preview')}`}
        >
          {body}
        </div>
        {title && <Typography.Paragraph strong>{t(`头条文章：${title}`, `Article: ${title}`)}</Typography.Paragraph>}
        {cover('70%')}
        {link && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 6, wordBreak: 'break-all' }}>
            {t('网页链接', 'Link')}：{link}
          </Typography.Paragraph>
        )}
      </div>
    );
  } else if (item.platform === 'douyin' || item.platform === 'toutiao') {
    const text = typeof payload.text === 'string' ? payload.text : (title ?? body);
    view = (
      <div className="tf-phone" data-testid={`${item.platform}-cover`}>
        {cover('100%', item.platform === 'douyin' ? '3 / 4' : '16 / 9') ?? (
          <Typography.Text type="secondary">
            {t('未设置封面：平台将取视频或首图', 'No cover: the platform picks a frame or the first image')}
          </Typography.Text>
        )}
        <Typography.Paragraph strong style={{ margin: '6px 0 0' }}>
          {text}
        </Typography.Paragraph>
        {item.platform === 'toutiao' && body && (
          <div
            className="tf-preview-body"
            style={{ maxHeight: 200, marginTop: 6 }}
            tabIndex={0}
            role="region"
            aria-label={`${item.platform} ${t('正文预览', 'body preview')}`}
          >
            {body}
          </div>
        )}
      </div>
    );
  } else {
    view = (
      <div className="tf-phone" data-testid={`${item.platform}-card`}>
        {cover('100%')}
        {title && (
          <Typography.Paragraph strong style={{ margin: '6px 0 0' }}>
            {title}
          </Typography.Paragraph>
        )}
        {r.fields.summary && <Typography.Paragraph type="secondary">{r.fields.summary}</Typography.Paragraph>}
        <div
          className="tf-preview-body"
          style={{ maxHeight: 200 }}
          tabIndex={0}
          role="region"
          aria-label={`${item.platform} ${t('正文预览', 'body preview')}`}
        >
          {body}
        </div>
      </div>
    );
  }

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`preview-${item.platform}`}>
      {item.skip && item.skip.code !== 'rendition' && (
        <Alert
          type="warning"
          title={t('发布时将跳过此账号', 'Publishing will leave this account out')}
          description={`${item.skip.reason}。解决办法：${item.skip.fix}`}
        />
      )}
      {r.violations.length > 0 && (
        <Alert
          type="error"
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
      {item.adaptation && (
        <Tag color="blue" style={{ color: 'rgba(0,0,0,0.88)' }} data-testid="adapted">
          {t('已按本平台适配', 'Adapted for this platform')}
        </Tag>
      )}
      {item.titleDiffers && (
        <Tag color="gold" style={{ color: 'rgba(0,0,0,0.88)' }}>
          {t('标题已调整', 'Title adjusted')}
        </Tag>
      )}
      {view}
      <div data-testid="fit-notes">
        {notes.map((n) => (
          <Typography.Paragraph key={n} style={{ margin: 0 }} data-note="crop">
            {n}
          </Typography.Paragraph>
        ))}
        {r.warnings.length > 0 && (
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
        )}
        {notes.length === 0 && !truncated && r.warnings.length === 0 && (
          <Typography.Text type="success">{t('无截断或裁剪', 'Nothing cut or cropped')}</Typography.Text>
        )}
      </div>
    </Space>
  );
}
