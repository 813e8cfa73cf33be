import { describeConformance } from '@tongfa/plugin-sdk/testing';
import { createDouyinSimulator, douyinPlugin, withVideoReader } from './index';
import { chunkedSettings, memoryVideos, testVideo, videoManuscript } from './test-support';

// The host's video reader (a proposed SDK extension, see README) is supplied the way the hub would.
describeConformance(withVideoReader(douyinPlugin, memoryVideos({ 'asset-video': testVideo })), () => createDouyinSimulator(), {
  sample: videoManuscript(),
  settings: chunkedSettings,
});
