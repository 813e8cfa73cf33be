import { Parser } from 'htmlparser2';
import { MappedText } from './normalize';

/** A link of the body: its target and where it sits in the plain text and in the HTML. */
export interface BodyLink {
  href: string;
  /** Span of the link's text in the plain text. */
  start: number;
  end: number;
  /** Span of the whole `<a …>…</a>` element in the HTML. */
  htmlStart: number;
  htmlEnd: number;
}

export interface PlainBody {
  /** The plain text, with each unit's span in the HTML (starts/ends). */
  plain: MappedText;
  links: BodyLink[];
}

const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'tr',
  'td',
  'th',
  'table',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'figure',
  'figcaption',
  'hr',
  'dl',
  'dt',
  'dd',
  'caption',
  'aside',
  'nav',
  'main',
  'address',
]);
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'iframe', 'object', 'svg', 'math']);
const SPACE = /[ \t\n\r\f]/;

/**
 * The plain text of a manuscript body, as the checker sees it: text of the elements, one line
 * break between blocks, runs of whitespace collapsed, entities decoded, scripts and styles
 * dropped. Every character keeps the span of HTML it came from (an entity maps to the whole
 * entity, an inserted line break to an empty span at the tag), so a finding in the plain text can
 * be highlighted in the HTML. htmlparser2 reports the source span of each text piece.
 */
export function htmlToPlain(html: string): PlainBody {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const links: BodyLink[] = [];
  const open: { href: string; start: number; htmlStart: number }[] = [];
  let skip = 0;
  let breakAt = -1;

  const push = (ch: string, s: number, e: number) => {
    out.push(ch);
    starts.push(s);
    ends.push(e);
  };
  const emit = (ch: string, s: number, e: number) => {
    const last = out[out.length - 1];
    if (SPACE.test(ch)) {
      if (last === undefined || last === ' ' || last === '\n' || breakAt >= 0) return;
      push(' ', s, e);
      return;
    }
    if (breakAt >= 0) {
      if (last === ' ') {
        out.pop();
        starts.pop();
        ends.pop();
      }
      if (out.length > 0) push('\n', breakAt, breakAt);
      breakAt = -1;
    }
    push(ch, s, e);
  };

  const parser: Parser = new Parser(
    {
      onopentag(name, attribs) {
        if (SKIPPED.has(name)) skip++;
        if (skip) return;
        if (BLOCK.has(name) && breakAt < 0) breakAt = parser.startIndex;
        if (name === 'a') open.push({ href: attribs.href ?? '', start: out.length, htmlStart: parser.startIndex });
      },
      ontext(data) {
        if (skip) return;
        const s = parser.startIndex;
        const e = parser.endIndex + 1;
        if (html.slice(s, e) === data) {
          for (let k = 0; k < data.length; k++) emit(data[k], s + k, s + k + 1);
        } else {
          // A decoded entity: every character it yields maps to the whole entity.
          for (let k = 0; k < data.length; k++) emit(data[k], s, e);
        }
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skip = Math.max(0, skip - 1);
          return;
        }
        if (skip) return;
        if (name === 'a') {
          const a = open.pop();
          // A break inserted before the link's first character belongs to the text before it.
          const start = a && out[a.start] === '\n' && a.start < out.length ? a.start + 1 : a?.start;
          if (a?.href) links.push({ href: a.href, start: start!, end: out.length, htmlStart: a.htmlStart, htmlEnd: parser.endIndex + 1 });
        }
        if (BLOCK.has(name) && breakAt < 0) breakAt = parser.startIndex;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  while (out[out.length - 1] === ' ') {
    out.pop();
    starts.pop();
    ends.pop();
  }
  return { plain: { text: out.join(''), starts: Int32Array.from(starts), ends: Int32Array.from(ends) }, links };
}
