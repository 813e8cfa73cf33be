export type Piece = { kind: 'same' | 'del' | 'ins'; text: string };

/** Longest-common-subsequence diff of two token lists (paragraphs or words). */
function lcs(a: string[], b: string[]): Piece[] | null {
  if (a.length * b.length > 4_000_000) return null;
  const m = a.length;
  const n = b.length;
  const dp = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
  for (let i = m - 1; i >= 0; i--)
    for (let j = n - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out: Piece[] = [];
  const push = (kind: Piece['kind'], text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    if (a[i] === b[j]) {
      push('same', a[i]);
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) push('del', a[i++]);
    else push('ins', b[j++]);
  }
  while (i < m) push('del', a[i++]);
  while (j < n) push('ins', b[j++]);
  return out;
}

const words = new Intl.Segmenter('zh', { granularity: 'word' });
const sentences = new Intl.Segmenter('zh', { granularity: 'sentence' });

/** Chinese words as a reader sees them (a phone number or a date is one token, not eleven characters). */
export function segmentWords(text: string): string[] {
  return [...words.segment(text)].map((s) => s.segment);
}

function segmentSentences(text: string): string[] {
  return [...sentences.segment(text)].map((s) => s.segment);
}

/**
 * Paragraph-level diff, refined to sentences and then to words where a paragraph changed: a
 * reviewer reads "13912345678 → 12345" as one number replaced, never as six stray digits.
 */
export function diffText(before: string, after: string): Piece[] {
  const pa = before.split('\n').map((p) => `${p}\n`);
  const pb = after.split('\n').map((p) => `${p}\n`);
  const coarse = lcs(pa, pb) ?? [
    { kind: 'del', text: before },
    { kind: 'ins', text: after },
  ];
  const out: Piece[] = [];
  for (let k = 0; k < coarse.length; k++) {
    const c = coarse[k];
    const next = coarse[k + 1];
    if (c.kind === 'del' && next?.kind === 'ins') {
      for (const s of lcs(segmentSentences(c.text), segmentSentences(next.text)) ?? [c, next]) out.push(s);
      k++;
    } else out.push(c);
  }
  // Sentences changed in place (one deleted, one inserted) are compared word by word.
  const fine: Piece[] = [];
  for (let k = 0; k < out.length; k++) {
    const c = out[k];
    const next = out[k + 1];
    if (c.kind === 'del' && next?.kind === 'ins') {
      fine.push(...(lcs(segmentWords(c.text), segmentWords(next.text)) ?? [c, next]));
      k++;
    } else fine.push(c);
  }
  // Merge neighbours of the same kind the refinements left apart.
  return fine.reduce<Piece[]>((acc, p) => {
    const last = acc[acc.length - 1];
    if (last && last.kind === p.kind) last.text += p.text;
    else acc.push({ ...p });
    return acc;
  }, []);
}

export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(
    html.replace(/<\/(p|h\d|li|div|section|blockquote)>/gi, '$&\n').replace(/<br\s*\/?>/gi, '\n'),
    'text/html',
  );
  doc.querySelectorAll('img').forEach((img) => img.replaceWith(`[图片 ${img.getAttribute('alt') ?? ''}]\n`));
  return (doc.body.textContent ?? '').replace(/\n+$/, '');
}
