export type Piece = { kind: 'same' | 'del' | 'ins'; text: string };

/** Longest-common-subsequence diff of two token lists (paragraphs or characters). */
function lcs<T>(a: T[], b: T[]): Piece[] | null {
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
      push('same', String(a[i]));
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) push('del', String(a[i++]));
    else push('ins', String(b[j++]));
  }
  while (i < m) push('del', String(a[i++]));
  while (j < n) push('ins', String(b[j++]));
  return out;
}

/** Paragraph-level diff, refined to characters where a paragraph was changed. */
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
      out.push(...(lcs([...c.text], [...next.text]) ?? [c, next]));
      k++;
    } else out.push(c);
  }
  return out;
}

export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(
    html.replace(/<\/(p|h\d|li|div|section|blockquote)>/gi, '$&\n').replace(/<br\s*\/?>/gi, '\n'),
    'text/html',
  );
  doc.querySelectorAll('img').forEach((img) => img.replaceWith(`[图片 ${img.getAttribute('alt') ?? ''}]\n`));
  return (doc.body.textContent ?? '').replace(/\n+$/, '');
}
