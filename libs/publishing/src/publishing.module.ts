import { DynamicModule, Global, Module } from '@nestjs/common';
import { PublicationsService } from './publications.service';
import { RenditionService } from './rendition.service';
import { Dispatcher } from './dispatcher';
import { PublicationWorker } from './publication.worker';
import { Reconciler } from './reconciler';
import { CorrectionsService } from './corrections.service';
import { TargetActionsService } from './target-actions.service';
import { ScheduleService } from './schedule.service';

/** `consume`: this process runs the publishing jobs and the reconciler (worker, or embedded hub). */
@Global()
@Module({})
export class PublishingModule {
  static forRoot(opts: { consume: boolean }): DynamicModule {
    return {
      module: PublishingModule,
      providers: [
        PublicationsService,
        RenditionService,
        Dispatcher,
        Reconciler,
        CorrectionsService,
        TargetActionsService,
        ScheduleService,
        ...(opts.consume
          ? [PublicationWorker, { provide: 'PUBLISHING_CONSUMER', inject: [Reconciler], useFactory: (r: Reconciler) => r.enable() }]
          : []),
      ],
      exports: [PublicationsService, RenditionService, Dispatcher, Reconciler, CorrectionsService, TargetActionsService, ScheduleService],
    };
  }
}
