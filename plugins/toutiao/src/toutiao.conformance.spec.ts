import { describeConformance, sampleManuscript } from '@tongfa/plugin-sdk/testing';
import plugin, { createToutiaoSimulator } from './index';

// The article contract. Toutiao videos cannot be retracted through the open API (the plugin says so
// with a PermanentError), so the video path is covered in toutiao.spec.ts instead of the generic suite.
describeConformance(plugin, () => createToutiaoSimulator(), { sample: sampleManuscript() });
