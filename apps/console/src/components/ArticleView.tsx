import { useEffect, useRef, useState } from 'react';
import { Descriptions, Typography } from 'antd';
import { mediaUrl } from '../api/client';
import { useT } from '../lib/i18n';
import type { AdaptedVersion } from '../lib/adaptations';

// An upload named in the body, as the editor embeds it (data-media-id) or links it.
const MEDIA_PATH = /\/api\/v1\/media\/([0-9a-fA-F-]{36})/;

/** Strips what the hub's sanitiser already refuses, once more, before the HTML reaches the page. */
function cleanHtml(html: string): DocumentFragment {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script,style,iframe,object,embed,form,link,meta').forEach((n) => n.remove());
  doc.querySelectorAll('*').forEach((el) => {
    for (const a of [...el.attributes]) {
      if (/^on/i.test(a.name) || (/^(href|src)$/i.test(a.name) && /^\s*javascript:/i.test(a.value))) el.removeAttribute(a.name);
    }
  });
  const frag = document.createDocumentFragment();
  frag.append(...[...doc.body.childNodes]);
  return frag;
}

/** An image of the unit's media library, fetched with the bearer token and shown through a blob: URL. */
export function MediaImage({ id, alt, style }: { id: string; alt: string; style?: React.CSSProperties }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    mediaUrl(id).then(
      (u) => live && setSrc(u),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [id]);
  return src ? (
    <img src={src} alt={alt} style={style} />
  ) : (
    <span style={{ ...style, display: 'inline-block', background: '#f0f0f0' }} role="img" aria-label={alt} />
  );
}

/** The sanitised article body, rendered as readers will see it, its images loaded with the token. */
export function ArticleBody({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.replaceChildren(cleanHtml(html));
    el.querySelectorAll('img').forEach((img) => {
      const id = img.getAttribute('data-media-id') ?? MEDIA_PATH.exec(img.getAttribute('src') ?? '')?.[1];
      if (!img.getAttribute('alt')) img.setAttribute('alt', '正文图片');
      if (!id) return;
      img.removeAttribute('src');
      void mediaUrl(id).then(
        (u) => (img.src = u),
        () => (img.alt = `${img.alt}（无法加载）`),
      );
    });
  }, [html]);
  return <div ref={ref} className="tf-article" />;
}

/** What a reviewer approves: title, summary and cover apart, then the formatted article. */
export function ArticleView({ version, testId = 'version-text' }: { version: AdaptedVersion; testId?: string }) {
  const t = useT();
  return (
    <div
      className="tf-preview-body tf-article-view"
      style={{ maxHeight: 640 }}
      data-testid={testId}
      tabIndex={0}
      role="region"
      aria-label="排版预览 article"
    >
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          { key: 'title', label: t('标题', 'Title'), children: <strong data-testid="article-title">{version.title}</strong> },
          {
            key: 'summary',
            label: t('摘要', 'Summary'),
            children: version.summary || <Typography.Text type="secondary">{t('（无）', '(none)')}</Typography.Text>,
          },
          {
            key: 'cover',
            label: t('封面', 'Cover'),
            children: version.coverMediaId ? (
              <MediaImage id={version.coverMediaId} alt={t('封面图', 'Cover image')} style={{ maxWidth: 240, maxHeight: 160 }} />
            ) : (
              <Typography.Text type="secondary">{t('未设置封面', 'No cover')}</Typography.Text>
            ),
          },
        ]}
      />
      <ArticleBody html={version.bodyHtml} />
    </div>
  );
}
