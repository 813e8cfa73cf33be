import sanitizeHtml from 'sanitize-html';

/**
 * The editor's HTML, cleaned on the way in: a whitelist of structural and text tags, images from
 * http(s) or our media store only, links without script URLs, iframes only from the video hosts a
 * deployment allows. Scripts, styles, event handlers and foreign iframes never survive.
 */
export function sanitizeBody(html: string, opts: { iframeHosts?: string[] } = {}): string {
  return sanitizeHtml(html, {
    allowedTags: [
      'p',
      'br',
      'hr',
      'h1',
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'blockquote',
      'pre',
      'code',
      'strong',
      'b',
      'em',
      'i',
      'u',
      's',
      'sub',
      'sup',
      'span',
      'a',
      'img',
      'figure',
      'figcaption',
      'ul',
      'ol',
      'li',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'caption',
      'section',
      'div',
      'iframe',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'data-media-id'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      iframe: ['src', 'width', 'height', 'allowfullscreen'],
      '*': ['data-align'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    allowedIframeHostnames: opts.iframeHosts ?? [],
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }),
    },
    disallowedTagsMode: 'discard',
  });
}
