import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { holidayDataCoversUntil, SupplementaryCalendar, useSupplementaryCalendar } from '../time/working-time';
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
        { provide: HOLIDAY_CALENDAR, inject: [AppConfig], useFactory: (c: AppConfig) => loadHolidayCalendar(c, clock) },
      ],
      exports: [AppConfig, Clock],
    };
  }
}

/** Token of the provider that takes the operator's holiday calendar at start-up (nothing injects it). */
const HOLIDAY_CALENDAR = Symbol('HolidayCalendar');

/**
 * Takes TONGFA_HOLIDAYS_FILE's calendar (the State Council notice the bundled package does not
 * carry yet); a file that cannot be read or is wrong stops the start with the reason. Warns when
 * the calendar ends before the year a month from now: SLA clocks would then treat 春节 and the
 * other holidays of that year as workdays.
 */
export function loadHolidayCalendar(config: AppConfig, clock: Clock): number {
  const file = config.env.TONGFA_HOLIDAYS_FILE;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`TONGFA_HOLIDAYS_FILE: cannot read ${file} as JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    try {
      useSupplementaryCalendar(parsed as SupplementaryCalendar);
    } catch (e) {
      throw new Error(`TONGFA_HOLIDAYS_FILE ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const covered = holidayDataCoversUntil();
  const soon = new Date(clock.now().getTime() + 31 * 24 * 3600_000).getUTCFullYear();
  if (covered < soon) {
    new Logger('WorkingTime').warn(
      `法定节假日数据只到 ${covered} 年，请在 TONGFA_HOLIDAYS_FILE 中录入 ${soon} 年的国务院节假日安排 / statutory holidays are known only through ${covered}; enter the ${soon} notice in TONGFA_HOLIDAYS_FILE`,
    );
  }
  return covered;
}
