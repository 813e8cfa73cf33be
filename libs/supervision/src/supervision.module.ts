import { Module } from '@nestjs/common';
import { AppConfig } from '@tongfa/core';
import { recurringJob } from '@tongfa/jobs';
import { MediaModule } from '@tongfa/media';
import { SpotCheckExpressionFindings } from './expression-findings.source';
import { ChromiumBrowser, HeadlessBrowser } from './headless-browser';
import { RankingsService } from './rankings.service';
import { RectificationsService } from './rectifications.service';
import { SpotCheckReportService } from './report.service';
import { SnapshotsService } from './snapshots.service';
import { SpotChecksService } from './spot-checks.service';

/**
 * 抽查与整改: rounds, findings, rectification orders, the 通报 and rankings. Imported by the hub
 * (routes, and the jobs in embedded mode) and the worker (snapshot and overdue sweeps).
 */
@Module({
  // Monitoring (global, bound once by the hub and the worker with MonitoringModule.forRoot): its rule
  // states pre-fill the checklist, and its expression-error veto reads our findings.
  imports: [MediaModule],
  providers: [
    SpotChecksService,
    RectificationsService,
    SpotCheckReportService,
    SnapshotsService,
    RankingsService,
    SpotCheckExpressionFindings,
    { provide: HeadlessBrowser, inject: [AppConfig], useFactory: (c: AppConfig) => new ChromiumBrowser(c.env.TONGFA_CHROMIUM) },
    // Deadlines are days long: a sweep every ten minutes names a late unit soon enough.
    recurringJob('supervision.rectification-sweep', {}, 10 * 60_000),
    // Snapshots are hinted when a round opens; the sweep picks up lost hints and retries.
    recurringJob('supervision.snapshot-sweep', {}, 60_000),
  ],
  exports: [SpotChecksService, RectificationsService, SpotCheckReportService, SnapshotsService, RankingsService, HeadlessBrowser],
})
export class SupervisionModule {}
