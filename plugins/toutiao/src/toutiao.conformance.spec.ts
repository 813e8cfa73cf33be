import { describeConformance } from '@tongfa/plugin-sdk/testing';
import plugin, { createToutiaoSimulator } from './index';

// The sample manuscript has no video, so this runs the article contract; video is covered in toutiao.spec.ts.
describeConformance(plugin, () => createToutiaoSimulator());
