import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@tongfa/core';
import { resolveDataSourceOptions } from './data-source-options';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => ({
        ...(await resolveDataSourceOptions(config.env.DATABASE_URL)),
        // Embedded mode migrates at start-up; the distributed mode runs `npm run migrate` first.
        migrationsRun: config.embedded,
      }),
    }),
  ],
})
export class DatabaseModule {}
