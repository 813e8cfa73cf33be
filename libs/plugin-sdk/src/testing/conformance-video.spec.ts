import { describeConformance } from './conformance';
import countyTvPlugin, { createCountyTvSimulator } from '../../examples/county-tv/src/index';

// The guide's worked example passes the suite as written: a video-only platform (the suite's built-in
// MP4 sample, read in parts through ctx.videos) that keeps no idempotency key (manifest.idempotency
// 'lookup': findExisting matches by title and time) and uploads through a gateway URL handed out at run time.
describeConformance(countyTvPlugin, () => createCountyTvSimulator());
