import { buildTestMp4, sampleManuscript } from '@tongfa/plugin-sdk/testing';
import type { ManuscriptInput } from '@tongfa/plugin-sdk';

export { memoryVideos } from '@tongfa/plugin-sdk/testing';

export const MB = 1024 * 1024;

/** A 10.5 MB, 30-second MP4: three parts at the 5 MB minimum part size. */
export const testVideo = buildTestMp4(10.5 * MB, 30);

/** Settings that force chunked upload with the smallest parts the platform allows. */
export const chunkedSettings = { partBytes: 5 * MB, chunkAboveBytes: 0 };

export function videoManuscript(overrides: Partial<ManuscriptInput> = {}): ManuscriptInput {
  return sampleManuscript({
    video: { ref: 'asset-video', bytes: testVideo.length, durationSec: 30, width: 720, height: 1280, format: 'mp4' },
    ...overrides,
  });
}
