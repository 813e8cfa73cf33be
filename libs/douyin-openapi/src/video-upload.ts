// Video upload through the Douyin open platform (single or chunked), shared by the douyin and toutiao plugins.
import { PermanentError, type JsonValue, type PluginContext, type VideoDescriptor, type VideoReader } from '@tongfa/plugin-sdk';
import { unwrap, type MapOptions } from './douyin-api';

/** Where a publish reads the video's bytes: the host's `ctx.videos` (SDK 0.2), present in publish calls. */
export function videoReader(ctx: PluginContext): VideoReader {
  const reader = ctx.videos;
  if (!reader || typeof reader.read !== 'function') {
    throw new PermanentError({
      zh: '宿主未提供视频读取接口（ctx.videos），无法上传视频',
      en: 'the host provides no video reader (ctx.videos); cannot upload video',
    });
  }
  return reader;
}

/** How render() decided to upload a video; stored in the rendition so every retry uploads the same parts. */
export interface VideoPlan {
  ref: string;
  bytes: number;
  durationSec: number;
  format: string;
  mode: 'single' | 'chunked';
  partBytes: number;
  parts: number;
}

/** Platform limits (facts §3, DY-upload): single upload ≤128 MB, parts ≥5 MB, chunking advised above 50 MB. */
export const SINGLE_UPLOAD_MAX = 128 * 1024 * 1024;
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const DEFAULT_PART_BYTES = 20 * 1024 * 1024;
export const DEFAULT_CHUNK_ABOVE = 50 * 1024 * 1024;
/** An upload_id lives 2 h; start over a little before that. */
export const UPLOAD_ID_TTL_MS = 2 * 3_600_000 - 10 * 60_000;

export function planVideo(v: VideoDescriptor, settings: Readonly<Record<string, string | number | boolean>>): VideoPlan {
  const wanted = Number(settings.partBytes) || DEFAULT_PART_BYTES;
  const partBytes = Math.min(SINGLE_UPLOAD_MAX, Math.max(MIN_PART_BYTES, Math.floor(wanted)));
  const above = settings.chunkAboveBytes === undefined ? DEFAULT_CHUNK_ABOVE : Number(settings.chunkAboveBytes);
  const chunked = v.bytes > Math.min(SINGLE_UPLOAD_MAX, Number.isFinite(above) ? above : DEFAULT_CHUNK_ABOVE);
  return {
    ref: v.ref,
    bytes: v.bytes,
    durationSec: v.durationSec,
    format: v.format,
    mode: chunked ? 'chunked' : 'single',
    partBytes: chunked ? partBytes : v.bytes,
    parts: chunked ? Math.max(1, Math.ceil(v.bytes / partBytes)) : 1,
  };
}

/** Progress of an upload, kept inside the plugin's checkpoint. */
export interface UploadState {
  upload_id?: string;
  upload_started_at?: number;
  /** Parts 1..parts_done are on the platform. */
  parts_done?: number;
  video_id?: string;
}

/** Full URLs of the four upload calls. */
export interface UploadUrls {
  single: string;
  init: string;
  part: string;
  complete: string;
}

/**
 * Uploads the planned video and returns its video_id, calling `save` after every committed step (init,
 * each part, complete) so a retry resumes at the next missing part instead of starting over.
 */
export async function uploadVideo(
  ctx: PluginContext,
  plan: VideoPlan,
  urls: UploadUrls,
  auth: { headers: Record<string, string>; query: Record<string, string> },
  state: UploadState,
  save: (s: UploadState) => Promise<void>,
  map: MapOptions,
): Promise<string> {
  if (state.video_id) return state.video_id;
  const reader = videoReader(ctx);
  const mime = plan.format === 'webm' ? 'video/webm' : 'video/mp4';
  const file = (data: Uint8Array) => [
    { name: 'video', filename: `video.${plan.format === 'webm' ? 'webm' : 'mp4'}`, contentType: mime, data },
  ];
  const opts = { ...map, topic: 'video' as const };

  if (plan.mode === 'single') {
    const data = await reader.read(plan.ref, 0, plan.bytes);
    const res = await ctx.http.request({
      method: 'POST',
      url: urls.single,
      headers: auth.headers,
      query: auth.query,
      multipart: file(data),
    });
    const video = unwrap<{ video: { video_id: string } }>(res, opts).video;
    const next = { ...state, video_id: String(video.video_id) };
    await save(next);
    return next.video_id;
  }

  let s: UploadState = { ...state };
  if (!s.upload_id || (s.upload_started_at ?? 0) + UPLOAD_ID_TTL_MS < ctx.clock.now()) {
    const res = await ctx.http.request({ method: 'POST', url: urls.init, headers: auth.headers, query: auth.query, json: {} });
    const d = unwrap<{ upload_id: string }>(res, opts);
    s = { upload_id: String(d.upload_id), upload_started_at: ctx.clock.now(), parts_done: 0 };
    await save(s);
  }
  for (let part = (s.parts_done ?? 0) + 1; part <= plan.parts; part++) {
    const offset = (part - 1) * plan.partBytes;
    const data = await reader.read(plan.ref, offset, Math.min(plan.partBytes, plan.bytes - offset));
    const res = await ctx.http.request({
      method: 'POST',
      url: urls.part,
      headers: auth.headers,
      query: { ...auth.query, upload_id: s.upload_id!, part_number: part },
      multipart: file(data),
    });
    unwrap(res, opts);
    s = { ...s, parts_done: part };
    await save(s);
  }
  const res = await ctx.http.request({
    method: 'POST',
    url: urls.complete,
    headers: auth.headers,
    query: { ...auth.query, upload_id: s.upload_id! },
    json: {},
  });
  const video = unwrap<{ video: { video_id: string } }>(res, opts).video;
  s = { ...s, video_id: String(video.video_id) };
  await save(s);
  return s.video_id!;
}

/** A checkpoint value as JSON (the SDK's JsonValue), for plugins that store UploadState inside theirs. */
export const asJson = (v: object): JsonValue => v as unknown as JsonValue;
