import { describeConformance } from '@tongfa/plugin-sdk/testing';
import { createDouyinSimulator, douyinPlugin } from './index';
import { chunkedSettings, testVideo, videoManuscript } from './test-support';

// The sample is a 10.5 MB video, so chunked uploads (5 MB parts) run through every fault and resume.
describeConformance(douyinPlugin, () => createDouyinSimulator(), {
  sample: videoManuscript(),
  videos: { 'asset-video': testVideo },
  settings: chunkedSettings,
});
