import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import sharp from 'sharp';
import { CommonError, CommonException, newId } from '@tongfa/core';
import { containsPattern, fetchPage, LIKE_ESCAPE, pathInScope, whereInScope } from '@tongfa/database';
import { Actor, Permission, Role } from '@tongfa/identity';
import { Media, MediaKind } from './entities';
import { MediaError, MediaException } from './media.exception';
import { MediaStore } from './media-store';
import { probeMp4 } from './mp4-probe';

export interface MediaLimits {
  imageBytes: number;
  videoBytes: number;
  /** sharp's limitInputPixels: decompression bombs stop here. */
  imagePixels: number;
}

export const MEDIA_LIMITS = 'tongfa:media-limits';

export interface MediaListQuery {
  /** Words in the caption, alt text or file name. */
  q?: string;
  kind?: MediaKind;
  unitId?: string;
  page: number;
  pageSize: number;
}

export interface MediaTextPatch {
  caption?: string | null;
  alt?: string | null;
}

/**
 * Where uploads are written while they arrive and are checked: a directory beside the store (so
 * accepting a file is a rename on the same volume, and a 1 GB video never fills a small /tmp).
 */
export const MEDIA_INCOMING_DIR = 'tongfa:media-incoming-dir';

export const DEFAULT_MEDIA_LIMITS: MediaLimits = { imageBytes: 30 * 1024 * 1024, videoBytes: 1024 * 1024 * 1024, imagePixels: 100_000_000 };

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
const VIDEO_TYPES = new Set(['video/mp4']);

// A file left in the incoming directory this long belongs to no upload still running.
const STALE_INCOMING_MS = 24 * 3600_000;

/**
 * Media upload: the type is sniffed from the bytes, sizes and pixel counts are limited, SVG is
 * refused, and every image is re-encoded without metadata (EXIF GPS never enters the store),
 * upright as its EXIF orientation says. Whatever fails, no file is left behind.
 */
@Injectable()
export class MediaService implements OnModuleInit {
  private readonly logger = new Logger('MediaService');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly store: MediaStore,
    @Inject(MEDIA_LIMITS) private readonly limits: MediaLimits,
    @Inject(MEDIA_INCOMING_DIR) readonly incomingDir: string,
  ) {}

  async onModuleInit(): Promise<void> {
    await mkdir(this.incomingDir, { recursive: true });
    // Leftovers of a process that died mid-upload; other processes' uploads in flight are younger.
    const now = Date.now();
    for (const name of await readdir(this.incomingDir)) {
      const p = join(this.incomingDir, name);
      const st = await stat(p).catch(() => null);
      if (st?.isFile() && now - st.mtimeMs > STALE_INCOMING_MS) await rm(p, { force: true });
    }
  }

  /** The largest body an upload may have: the larger of the image and video limits. */
  get maxUploadBytes(): number {
    return Math.max(this.limits.imageBytes, this.limits.videoBytes);
  }

  /** The upload's size limit in the words of the error. */
  tooLarge(limitBytes = this.maxUploadBytes): MediaException {
    return new MediaException(MediaError.TooLarge, { limit: `${Math.round(limitBytes / 1024 / 1024)} MB` });
  }

  /**
   * The unit an upload belongs to: `unitId` when given, else the caller's first editor unit. Only
   * an editor of that unit may upload; asked before the body is read, and again on ingest.
   */
  uploadUnit(actor: Actor, unitId?: string): string {
    const editors = actor.grants.filter((g) => g.role === Role.Editor);
    const grant = unitId ? editors.find((g) => g.unitId === unitId) : editors[0];
    if (!grant) throw new CommonException(CommonError.Forbidden);
    return grant.unitId;
  }

  /** Takes a temporary file written by the upload and stores it; the temporary file is always removed. */
  async ingest(actor: Actor, tempPath: string, originalName: string | null, unitId?: string): Promise<Media> {
    const cleanup: string[] = [tempPath];
    try {
      const ownerUnitId = this.uploadUnit(actor, unitId);
      const head = await readHead(tempPath, 4100);
      const text = head.toString('utf8').trimStart().slice(0, 512).toLowerCase();
      if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) throw new MediaException(MediaError.SvgRefused);
      const { fileTypeFromBuffer } = await import('file-type');
      const type = await fileTypeFromBuffer(head);
      const mime = type?.mime ?? 'unknown';
      if (mime === 'application/xml' || mime === 'image/svg+xml') throw new MediaException(MediaError.SvgRefused);
      const kind: MediaKind | null = IMAGE_TYPES.has(mime) ? 'image' : VIDEO_TYPES.has(mime) ? 'video' : null;
      if (!kind || !type) throw new MediaException(MediaError.UnsupportedType, { type: mime });
      const bytes = (await stat(tempPath)).size;
      const limit = kind === 'image' ? this.limits.imageBytes : this.limits.videoBytes;
      if (bytes > limit) throw this.tooLarge(limit);

      const id = newId();
      let finalPath = tempPath;
      let width: number | null = null;
      let durationSec: number | null = null;
      let height: number | null = null;
      let ext: string = type.ext;
      if (kind === 'image') {
        const out = join(this.incomingDir, `tongfa-media-${id}.${type.ext}`);
        cleanup.push(out);
        try {
          const img = sharp(tempPath, { limitInputPixels: this.limits.imagePixels, animated: mime === 'image/gif' });
          const meta = await img.metadata();
          // Re-encode in the same format at high quality; without withMetadata() sharp drops EXIF, XMP and IPTC.
          let pipeline = img.rotate();
          if (mime === 'image/jpeg') pipeline = pipeline.jpeg({ quality: 92, mozjpeg: true });
          if (mime === 'image/png') pipeline = pipeline.png({ compressionLevel: 8 });
          if (mime === 'image/webp') pipeline = pipeline.webp({ quality: 92 });
          if (mime === 'image/gif') pipeline = pipeline.gif();
          const info = await pipeline.toFile(out);
          width = info.width;
          height = meta.pages && meta.pageHeight ? meta.pageHeight : info.height;
        } catch (e) {
          const msg = e instanceof Error ? e.message : '';
          if (/pixel limit/i.test(msg))
            throw new MediaException(MediaError.TooManyPixels, { limit: Math.round(this.limits.imagePixels / 10_000) });
          throw new MediaException(MediaError.Corrupt);
        }
        finalPath = out;
        ext = type.ext === 'jpg' ? 'jpg' : type.ext;
      } else {
        const info = await probeMp4(tempPath);
        if (!info) throw new MediaException(MediaError.Corrupt);
        width = info.width || null;
        height = info.height || null;
        durationSec = info.durationSec;
      }
      const sha256 = await hashFile(finalPath);
      const key = `${id}.${ext}`;
      const size = (await stat(finalPath)).size;
      const unit = await this.ds.query('SELECT path FROM unit WHERE id = ?', [ownerUnitId]);
      const media = this.ds.getRepository(Media).create({
        id,
        unitId: ownerUnitId,
        unitPath: (unit as { path: string }[])[0]!.path,
        uploaderId: actor.userId,
        kind,
        mime,
        ext,
        bytes: size,
        width,
        height,
        durationSec,
        originalName: originalName ? originalName.replace(/[\\/\0]/g, '_').slice(0, 255) : null,
        sha256,
        storageKey: key,
      });
      await this.store.putFile(key, finalPath);
      try {
        await this.ds.getRepository(Media).save(media);
      } catch (e) {
        // No row, no file: a stored file nobody can reference would only take space.
        await this.store.delete(key).catch((de: unknown) => this.logger.error(`orphan media file ${key} not removed: ${String(de)}`));
        throw e;
      }
      return media;
    } finally {
      await Promise.all(cleanup.map((p) => rm(p, { force: true })));
    }
  }

  async get(actor: Actor, id: string): Promise<Media> {
    const media = await this.ds.getRepository(Media).findOne({ where: { id } });
    if (!media || !pathInScope(media.unitPath, actor.scope(Permission.ManuscriptRead))) throw new MediaException(MediaError.NotFound);
    return media;
  }

  /** The library: uploads in the caller's subtree, newest first, optionally one unit's, one kind, or matching words. */
  async list(actor: Actor, query: MediaListQuery): Promise<{ items: Media[]; total: number }> {
    const qb = this.ds.getRepository(Media).createQueryBuilder('m');
    whereInScope(qb, 'm.unitPath', actor.scope(Permission.ManuscriptRead));
    if (query.unitId) qb.andWhere('m.unitId = :unitId', { unitId: query.unitId });
    if (query.kind) qb.andWhere('m.kind = :kind', { kind: query.kind });
    const words = query.q?.trim();
    if (words) {
      const like = containsPattern(words);
      qb.andWhere(`(m.caption LIKE :like ${LIKE_ESCAPE} OR m.alt LIKE :like ${LIKE_ESCAPE} OR m.originalName LIKE :like ${LIKE_ESCAPE})`, {
        like,
      });
    }
    qb.orderBy('m.createdAt', 'DESC').addOrderBy('m.id', 'DESC');
    const [items, total] = await fetchPage(qb, (query.page - 1) * query.pageSize, query.pageSize);
    return { items, total };
  }

  /**
   * Caption and alt text. Only an editor over the item's unit may change them (a reviewer or a
   * supervisor reads the library but does not rewrite what another unit's editors described);
   * others in scope get 403, out of scope 404 as for reading. Blank text is stored as null.
   */
  async updateText(actor: Actor, id: string, patch: MediaTextPatch): Promise<{ before: MediaTextPatch; media: Media }> {
    const media = await this.get(actor, id);
    if (!actor.canAt(Permission.ManuscriptWrite, media.unitPath)) throw new CommonException(CommonError.Forbidden);
    const before = { caption: media.caption, alt: media.alt };
    const clean = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() || null);
    const caption = clean(patch.caption);
    const alt = clean(patch.alt);
    if (caption !== undefined) media.caption = caption;
    if (alt !== undefined) media.alt = alt;
    await this.ds.getRepository(Media).update({ id }, { caption: media.caption, alt: media.alt });
    return { before, media };
  }

  async content(actor: Actor, id: string): Promise<{ media: Media; stream: Readable }> {
    const media = await this.get(actor, id);
    return { media, stream: await this.store.get(media.storageKey) };
  }

  /** The unit a media item belongs to, or null when there is no such item (worker side). */
  async unitOf(id: string): Promise<string | null> {
    const media = await this.ds.getRepository(Media).findOne({ where: { id }, select: { id: true, unitId: true } });
    return media?.unitId ?? null;
  }

  /** For chunked video uploads (worker side): a range of a media item's bytes by id. */
  async readRange(id: string, offset: number, length: number): Promise<Buffer> {
    const media = await this.ds.getRepository(Media).findOneByOrFail({ id });
    if (offset < 0 || length < 0) throw new RangeError('negative range');
    return this.store.read(media.storageKey, offset, Math.min(length, Math.max(0, media.bytes - offset)));
  }

  /** For the host's image fitter: the bytes of a media item by id, without a caller (worker side). */
  async open(id: string): Promise<{ media: Media; stream: Readable }> {
    const media = await this.ds.getRepository(Media).findOneByOrFail({ id });
    return { media, stream: await this.store.get(media.storageKey) };
  }
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
