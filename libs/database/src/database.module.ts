import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@tongfa/core';
import { dataSourceOptions } from './data-source-options';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.env.DATABASE_URL),
        // Embedded mode migrates at start-up; the distributed mode runs `npm run migrate` first.
        migrationsRun: config.embedded,
      }),
    }),
  ],
})
export class DatabaseModule {}
