import { Parser } from 'htmlparser2';
import { EntityManager, In } from 'typeorm';
import { Media } from '@tongfa/media';
import type { Adaptations } from './entities';
import { ManuscriptError, ManuscriptException } from './manuscripts.exception';

/** One place a manuscript version names a media item. */
export interface MediaReference {
  /** The request field, e.g. `coverMediaId`, `mediaIds[2]`, `body`. */
  field: string;
  /** How an editor calls it. */
  label: '封面' | '图片' | '正文图片';
  id: string;
}

// The console embeds uploads as <img data-media-id="…" src="…/api/v1/media/<id>/content">; any link
// to that path (any origin, with or without /content) names the media just as well.
const MEDIA_PATH = /\/api\/v1\/media\/([0-9a-fA-F-]{36})(?:\/content)?(?:[?#]|$)/;

/** What of a version may name media. */
export interface MediaHolder {
  coverMediaId?: string | null;
  mediaIds?: string[] | null;
  bodyHtml: string;
  adaptations?: Adaptations | null;
}

/** Every media item a version refers to: cover, attached images, and those embedded in the body. */
export function mediaReferences(v: MediaHolder): MediaReference[] {
  const refs: MediaReference[] = [];
  if (v.coverMediaId) refs.push({ field: 'coverMediaId', label: '封面', id: v.coverMediaId });
  for (const [platform, a] of Object.entries(v.adaptations ?? {})) {
    if (a.coverMediaId) refs.push({ field: `adaptations.${platform}.coverMediaId`, label: '封面', id: a.coverMediaId });
  }
  (v.mediaIds ?? []).forEach((id, i) => refs.push({ field: `mediaIds[${i}]`, label: '图片', id }));
  const parser = new Parser({
    onopentag(_name, attribs) {
      if (attribs['data-media-id'] !== undefined) refs.push({ field: 'body', label: '正文图片', id: attribs['data-media-id'] });
      for (const attr of ['src', 'href']) {
        const m = attribs[attr] && MEDIA_PATH.exec(attribs[attr]);
        if (m) refs.push({ field: 'body', label: '正文图片', id: m[1]!.toLowerCase() });
      }
    },
  });
  parser.write(v.bodyHtml);
  parser.end();
  return refs;
}

/**
 * A manuscript may use only its own unit's uploads: an id of another unit's media (or one that does
 * not exist, which looks the same to the caller) refuses the whole write, naming each field. Checked
 * on every save and again whenever a version is rendered for publishing.
 */
export async function assertOwnMedia(m: EntityManager, unitId: string, v: MediaHolder): Promise<void> {
  const refs = mediaReferences(v);
  if (refs.length === 0) return;
  const ids = [...new Set(refs.map((r) => r.id))].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const owned = new Set(
    ids.length
      ? (await m.find(Media, { where: { id: In(ids) }, select: { id: true, unitId: true } }))
          .filter((x) => x.unitId === unitId)
          .map((x) => x.id)
      : [],
  );
  const foreign = refs.filter((r) => !owned.has(r.id));
  if (foreign.length === 0) return;
  const seen = new Set<string>();
  const details = foreign
    .filter((r) => !seen.has(r.field) && seen.add(r.field))
    .map((r) => ({ field: r.field, message: `${r.label}不存在或不属于本单位，请使用本单位上传的文件` }));
  const labels = [...new Set(foreign.map((r) => r.label))].join('、');
  throw new ManuscriptException(ManuscriptError.MediaNotOwned, { labels }, details);
}
