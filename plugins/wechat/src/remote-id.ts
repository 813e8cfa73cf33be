/**
 * The remote id the host stores for a WeChat post. WeChat names one publication three ways: the
 * `publish_id` of the submit task (what freepublish/get polls), the `article_id` once it is published
 * (what freepublish/delete and getarticle take) and the `msg_data_id` (what comments and datacube use).
 * Which ones the plugin knows depends on how it learned of the post, so the id is a small query string:
 * - `publish_id=…&msg_data_id=…` after a submit the plugin saw answered;
 * - `article_id=…` when findExisting found the post in freepublish/batchget;
 * - `tongfa_key=…` when a submit was sent but its answer lost and the post is not listed yet;
 * - `article_id=…&msg_data_id=…[&idx=N]` for a post listPosts read from freepublish/batchget, `idx`
 *   naming article N (1-based) of a multi-article item.
 * A bare value (no `=`) is read as a publish_id.
 */
export interface RemoteRef {
  publishId?: string;
  articleId?: string;
  msgDataId?: string;
  key?: string;
  /** 1-based position in a multi-article item (listed posts only); absent means the whole item / article 1. */
  idx?: number;
}

export function encodeRemoteId(ref: RemoteRef): string {
  const p = new URLSearchParams();
  if (ref.publishId) p.set('publish_id', ref.publishId);
  if (ref.articleId) p.set('article_id', ref.articleId);
  if (ref.msgDataId) p.set('msg_data_id', ref.msgDataId);
  if (ref.key) p.set('tongfa_key', ref.key);
  if (ref.idx !== undefined && ref.idx > 1) p.set('idx', String(ref.idx));
  return p.toString();
}

export function decodeRemoteId(remoteId: string): RemoteRef {
  if (!remoteId.includes('=')) return { publishId: remoteId };
  const p = new URLSearchParams(remoteId);
  const ref: RemoteRef = {};
  if (p.get('publish_id')) ref.publishId = p.get('publish_id')!;
  if (p.get('article_id')) ref.articleId = p.get('article_id')!;
  if (p.get('msg_data_id')) ref.msgDataId = p.get('msg_data_id')!;
  if (p.get('tongfa_key')) ref.key = p.get('tongfa_key')!;
  const idx = Number(p.get('idx'));
  if (Number.isInteger(idx) && idx > 1) ref.idx = idx;
  return ref;
}

/**
 * The msg_data_id of an article from its URL: the long form carries it as `mid`
 * (`https://mp.weixin.qq.com/s?__biz=…&mid=2247483650&idx=1&sn=…`). Unverified [I]: used only when the
 * submit answer (which carries msg_data_id) was lost.
 */
export function msgDataIdFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).searchParams.get('mid') ?? undefined;
  } catch {
    return undefined;
  }
}
