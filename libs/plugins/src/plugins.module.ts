import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig, Clock } from '@tongfa/core';
import { BindablePlatformCatalog, CredentialVault, PlatformCatalog } from '@tongfa/accounts';
import { SharpImageFitter } from '@tongfa/plugin-sdk/images-sharp';
import { PluginRegistry } from './plugin-registry';
import { RegistryPlatformCatalog } from './registry-platform-catalog';
import { MemoryRateLimiter, RateLimiter, RedisRateLimiter } from './rate-limiter';
import { CredentialStore } from './credential-store';
import { PluginHost } from './plugin-host';
import { AccountReauthService } from './account-reauth.service';
import { AccountConnectionsService } from './account-connections.service';
import { recurringJob } from '@tongfa/jobs';
import { AccountCredentialJobs } from './account-credential.jobs';
import { AlertsModule } from '@tongfa/alerts';

const REDIS_CLIENT = 'TONGFA_PLUGINS_REDIS';

/** The simulators sandbox accounts may reach: the configured URL, or the demo's own sandbox port. */
function sandboxOrigins(config: AppConfig): string[] {
  if (config.env.TONGFA_SANDBOX_URL) return [config.env.TONGFA_SANDBOX_URL];
  if (config.demo && config.env.SANDBOX_PORT > 0) return [`http://127.0.0.1:${config.env.SANDBOX_PORT}`];
  return [];
}

/**
 * The plugin host for hub and worker processes: loads the plugins once at start (refusals logged,
 * one line each), binds the accounts' platform catalog to them, and provides the host, the
 * connection service and the credential jobs. Token buckets live in Redis when REDIS_URL is set.
 */
@Global()
@Module({
  imports: [AlertsModule],
  providers: [
    {
      provide: PluginRegistry,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('PluginRegistry');
        const registry = new PluginRegistry({ thirdParty: config.env.TONGFA_PLUGINS, onRefused: (line) => logger.error(line) });
        logger.log(`plugins loaded: ${registry.ids().join(', ') || '(none)'}`);
        return registry;
      },
    },
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.env.REDIS_URL ? new Redis(config.env.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true }) : null,
    },
    {
      provide: RateLimiter,
      inject: [AppConfig, REDIS_CLIENT],
      useFactory: (config: AppConfig, redis: Redis | null) =>
        redis ? new RedisRateLimiter(redis, config.env.TONGFA_QUEUE_PREFIX) : new MemoryRateLimiter(),
    },
    {
      provide: CredentialStore,
      inject: [getDataSourceToken(), CredentialVault],
      useFactory: (ds: DataSource, vault: CredentialVault) => new CredentialStore(ds, vault),
    },
    AccountReauthService,
    {
      provide: PluginHost,
      inject: [getDataSourceToken(), PluginRegistry, CredentialStore, RateLimiter, Clock, AccountReauthService, AppConfig],
      useFactory: (
        ds: DataSource,
        registry: PluginRegistry,
        credentials: CredentialStore,
        limiter: RateLimiter,
        clock: Clock,
        reauth: AccountReauthService,
        config: AppConfig,
      ) => {
        const logger = new Logger('Plugin');
        return new PluginHost({
          ds,
          registry,
          credentials,
          limiter,
          now: () => clock.now().getTime(),
          fitter: new SharpImageFitter(),
          // Objects go to nestjs-pino as structured fields; the host has redacted them already.
          log: (level, msg, fields) => {
            const line = { msg, ...fields };
            if (level === 'error') logger.error(line);
            else if (level === 'warn') logger.warn(line);
            else if (level === 'info') logger.log(line);
            else logger.debug(line);
          },
          onNeedsReauth: async (accountId, reason) => {
            await reauth.markNeedsReauth(accountId, reason);
          },
          options: { limitSandbox: config.env.TONGFA_SANDBOX_RATE_LIMITS !== 'off', sandboxOrigins: sandboxOrigins(config) },
        });
      },
    },
    AccountConnectionsService,
    AccountCredentialJobs,
    recurringJob('account.refresh-sweep', {}, 60_000),
  ],
  exports: [
    PluginRegistry,
    PluginHost,
    RateLimiter,
    CredentialStore,
    AccountConnectionsService,
    AccountReauthService,
    AccountCredentialJobs,
  ],
})
export class PluginsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly catalog: PlatformCatalog,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

  onModuleInit(): void {
    if (this.catalog instanceof BindablePlatformCatalog) this.catalog.bind(new RegistryPlatformCatalog(this.registry));
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
