import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, Clock, SystemClock, TongfaConfigModule } from '@tongfa/core';
import { DatabaseModule } from '@tongfa/database';
import { AuditModule } from '@tongfa/audit';
import { JobsModule } from '@tongfa/jobs';
import { AccountsModule } from '@tongfa/accounts';
import { PluginsModule } from '@tongfa/plugins';
import { ManuscriptsModule } from '@tongfa/manuscripts';
import { MediaModule } from '@tongfa/media';
import { ComplianceModule } from '@tongfa/compliance';
import { PublishingModule } from '@tongfa/publishing';
import { CampaignsModule } from '@tongfa/campaigns';
import { MonitoringModule } from '@tongfa/monitoring';
import { KnowledgeModule } from '@tongfa/knowledge';
import { NotificationsModule } from '@tongfa/notifications';
import { InboxInteractionFacts, InboxModule } from '@tongfa/inbox';
import { DutyModule } from '@tongfa/duty';
import { SupervisionModule } from '@tongfa/supervision';

/**
 * The job edge: no HTTP, only the libraries whose handlers it runs. Each library module
 * registers its own @JobHandler providers, so the hub and the worker share them unchanged.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        TongfaConfigModule.forRoot(config, clock),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.env.TONGFA_LOG_LEVEL,
            mixin: () => ({ service: 'worker' }),
            ...(config.env.NODE_ENV !== 'production' && process.stdout.isTTY
              ? { transport: { target: 'pino-pretty', options: { singleLine: true } } }
              : {}),
          },
        }),
        DatabaseModule,
        AuditModule,
        AccountsModule,
        PluginsModule,
        // What the publication worker reaches: media bytes for image fitting, the compliance gate
        // behind PublicationsService, and the reconciler that rebuilds the queue from the outbox.
        ManuscriptsModule,
        MediaModule,
        ComplianceModule,
        // The Q&A library's expiry reminders (its search index lives in the hubs only).
        KnowledgeModule,
        JobsModule.forRoot({ consume: true }),
        PublishingModule.forRoot({ consume: true }),
        // 矩阵联动 sweeps: relay completion, detection polling, reminders and escalation.
        CampaignsModule,
        // 监测: the daily activity roll-up and the inspection rules; the inbox measures interaction.
        MonitoringModule.forRoot({ interaction: InboxInteractionFacts }),
        // 站内通知: the producers listen to the reviews, alerts and campaigns this process handles.
        NotificationsModule,
        // 政民互动: the reply outbox, comment polling and the SLA sweeps.
        InboxModule,
        DutyModule,
        // 抽查: page snapshots and the rectification deadlines.
        SupervisionModule,
      ],
    };
  }
}
