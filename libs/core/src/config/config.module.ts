import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';
import { Clock, SystemClock } from '../clock';

/**
 * Validates the environment once (and provides the clock) (through @nestjs/config's validate hook) and provides AppConfig.
 * Tests pass an explicit AppConfig instead of touching process.env.
 */
@Global()
@Module({})
export class TongfaConfigModule {
  static forRoot(config?: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    let resolved = config;
    return {
      module: TongfaConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          validate: (raw) => {
            resolved ??= AppConfig.fromEnv(raw as Record<string, string>);
            return raw;
          },
        }),
      ],
      providers: [
        { provide: AppConfig, useFactory: () => resolved ?? AppConfig.fromEnv() },
        { provide: Clock, useValue: clock },
      ],
      exports: [AppConfig, Clock],
    };
  }
}
