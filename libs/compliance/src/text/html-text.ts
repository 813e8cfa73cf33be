import { Parser } from 'htmlparser2';
import { MappedBuilder, MappedText } from './normalize';

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

/**
 * The plain text of a manuscript body, as the checker sees it: text of the elements, one line
 * break between blocks, runs of whitespace collapsed, entities decoded, scripts and styles
 * dropped. Every character keeps the span of HTML it came from (an entity maps to the whole
 * entity, an inserted line break to an empty span at the tag), so a finding in the plain text can
 * be highlighted in the HTML. htmlparser2 reports the source span of each text piece.
 */
export function htmlToPlain(html: string): PlainBody {
  // Typed arrays sized for the whole HTML: the plain text is never longer (an entity decodes to
  // fewer units than it is written with).
  const out = new MappedBuilder(html.length + 16);
  const links: BodyLink[] = [];
  const open: { href: string; start: number; htmlStart: number }[] = [];
  let skip = 0;
  let breakAt = -1;

  const emit = (u: number, s: number, e: number) => {
    const last = out.length > 0 ? out.units[out.length - 1] : -1;
    if (u === SP || u === TAB || u === LF || u === CR || u === FF) {
      if (last === -1 || last === SP || last === LF || breakAt >= 0) return;
      out.push(SP, s, e);
      return;
    }
    if (breakAt >= 0) {
      if (last === SP) out.length--;
      if (out.length > 0) out.push(LF, breakAt, breakAt);
      breakAt = -1;
    }
    out.push(u, s, e);
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
        if (data.length === e - s && html.startsWith(data, s)) {
          for (let k = 0; k < data.length; k++) emit(data.charCodeAt(k), s + k, s + k + 1);
        } else {
          // A decoded entity: every character it yields maps to the whole entity.
          for (let k = 0; k < data.length; k++) emit(data.charCodeAt(k), s, e);
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
          const start = a && a.start < out.length && out.units[a.start] === LF ? a.start + 1 : a?.start;
          if (a?.href) links.push({ href: a.href, start: start!, end: out.length, htmlStart: a.htmlStart, htmlEnd: parser.endIndex + 1 });
        }
        if (BLOCK.has(name) && breakAt < 0) breakAt = parser.startIndex;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  while (out.length > 0 && out.units[out.length - 1] === SP) out.length--;
  return { plain: out.done(), links };
}

const SP = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const FF = 0x0c;
