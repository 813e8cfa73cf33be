import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, Clock, SystemClock, TongfaConfigModule } from '@tongfa/core';
import { DatabaseModule } from '@tongfa/database';
import { AuditModule } from '@tongfa/audit';
import { JobsModule } from '@tongfa/jobs';
import { AccountsModule } from '@tongfa/accounts';
import { PluginsModule } from '@tongfa/plugins';

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
        JobsModule.forRoot({ consume: true }),
      ],
    };
  }
}
