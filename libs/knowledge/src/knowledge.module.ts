import { Global, Module } from '@nestjs/common';
import { AlertsModule } from '@tongfa/alerts';
import { recurringJob } from '@tongfa/jobs';
import { QaEntriesService } from './qa-entries.service';
import { QaIndexSync } from './qa-index-sync';
import { QaLibraryService } from './qa-library.service';
import { QaSearchService } from './qa-search.service';
import { QaSpreadsheetService } from './qa-spreadsheet.service';

/**
 * The shared Q&A library (统一咨询答问库): entries, review, the province's tables and the expiry
 * reminder job (hub and worker). Review chains come from the manuscripts context (category qa).
 */
@Global()
@Module({
  imports: [AlertsModule],
  providers: [
    QaEntriesService,
    QaLibraryService,
    QaSpreadsheetService,
    // Hourly: a reminder a month ahead needs no finer grain.
    recurringJob('qa.expiry-sweep', {}, 3_600_000),
  ],
  exports: [QaEntriesService, QaLibraryService, QaSpreadsheetService],
})
export class KnowledgeModule {}

/** Search: the in-process index every hub keeps current, and the query log. Hubs only, not workers. */
@Module({
  imports: [KnowledgeModule],
  providers: [QaIndexSync, QaSearchService],
  exports: [QaIndexSync, QaSearchService],
})
export class KnowledgeSearchModule {}
