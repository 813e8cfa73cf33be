import type { Node as PMNode } from '@tiptap/pm/model';

/**
 * Maps a span of the body's HTML (the compliance check's htmlStart/htmlEnd) to editor positions.
 * The HTML is the editor's own serialization, so its text characters are the document's text
 * nodes in order: count text characters in the HTML (an entity is one character, tags none),
 * then walk the document's text nodes to the same count.
 */
export function htmlSpanToDoc(html: string, doc: PMNode, htmlStart: number, htmlEnd: number): { from: number; to: number } | null {
  const textIndexAt = (target: number): number => {
    let idx = 0;
    let i = 0;
    while (i < target && i < html.length) {
      const c = html[i];
      if (c === '<') {
        const close = html.indexOf('>', i);
        i = close < 0 ? html.length : close + 1;
        continue;
      }
      if (c === '&') {
        const semi = html.indexOf(';', i);
        if (semi > i && semi - i <= 10) {
          i = semi + 1;
          idx++;
          continue;
        }
      }
      i++;
      idx++;
    }
    return idx;
  };
  const a = textIndexAt(htmlStart);
  const b = textIndexAt(htmlEnd);
  if (b <= a) return null;
  let seen = 0;
  let from = -1;
  let to = -1;
  doc.descendants((node, pos) => {
    if (to >= 0) return false;
    if (!node.isText || !node.text) return true;
    const len = node.text.length;
    if (from < 0 && a < seen + len) from = pos + (a - seen);
    if (from >= 0 && b <= seen + len) to = pos + (b - seen);
    seen += len;
    return true;
  });
  return from >= 0 && to > from ? { from, to } : null;
}
