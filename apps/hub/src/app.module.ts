import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig, Clock, SystemClock, TongfaConfigModule } from '@tongfa/core';
import { DatabaseModule } from '@tongfa/database';
import { IdentityModule, OidcModule } from '@tongfa/identity';
import { AuditModule } from '@tongfa/audit';
import { JobsModule } from '@tongfa/jobs';
import { AccountsModule } from '@tongfa/accounts';
import { PluginsModule } from '@tongfa/plugins';
import { PublishingModule } from '@tongfa/publishing';
import { PublicationsController } from './publications/publications.controller';
import { ManuscriptsModule } from '@tongfa/manuscripts';
import { MediaModule } from '@tongfa/media';
import { ComplianceModule } from '@tongfa/compliance';
import { AlertsModule } from '@tongfa/alerts';
import { AlertsController } from './alerts/alerts.controller';
import { CampaignsHttpModule } from './campaigns/campaigns.http.module';
import { InboxHttpModule } from './inbox/inbox.http.module';
import { KnowledgeHttpModule } from './knowledge/knowledge.http.module';
import { NotificationsHttpModule } from './notifications/notifications.http.module';
import { MonitoringHttpModule } from './monitoring/monitoring.http.module';
import { DutyHttpModule } from './duty/duty.http.module';
import { SupervisionHttpModule } from './supervision/supervision.http.module';
import { LexiconsController } from './compliance/lexicons.controller';
import { ComplianceController } from './compliance/compliance.controller';
import { MediaController } from './media/media.controller';
import { ManuscriptsController } from './manuscripts/manuscripts.controller';
import { AccountsController } from './accounts/accounts.controller';
import { AccountConnectionsController } from './plugins/account-connections.controller';
import { PluginsController } from './plugins/plugins.controller';
import { AuthGuard } from './common/auth.guard';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { AuditInterceptor } from './common/audit.interceptor';
import { AuditTrail } from './common/audit-trail';
import { requestContext } from './common/request-context';
import { AuthController } from './auth/auth.controller';
import { OidcController } from './auth/oidc.controller';
import { OidcProviderMount } from './auth/oidc-provider.mount';
import { LocalStrategy } from './auth/local.strategy';
import { LoginThrottle, LoginThrottleGuard } from './auth/login-throttle';
import { loginThrottleStorage } from './auth/login-throttle-storage';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { UnitsController } from './units/units.controller';
import { UsersController } from './users/users.controller';
import { AuditController } from './audit/audit.controller';
import { HealthController } from './ops/health.controller';
import { RedisProbe } from './ops/redis-probe';
import { HttpMetricsMiddleware, MetricsController, MetricsRegistry } from './ops/metrics';
import { QueueAdminGate } from './ops/queues-board';
import { StartupService } from './startup.service';
import { StartupGate } from './ops/startup-gate';
import { maskLoggedRequest, requestLine, terminalLogStream } from './ops/log-output';
import pino from 'pino';

export interface HubOptions {
  config: AppConfig;
  clock?: Clock;
  /** Run job handlers in this process (embedded mode always does). */
  consumeJobs?: boolean;
}

/** Secret-bearing request fields that must never reach a log line. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.refreshToken',
  '*.accessToken',
  '*.secret',
  '*.otp',
  '*.recoveryCode',
];

@Module({})
export class HubModule implements NestModule {
  static forRoot(opts: HubOptions): DynamicModule {
    const { config } = opts;
    const tty = terminalLogStream();
    return {
      module: HubModule,
      imports: [
        TongfaConfigModule.forRoot(config, opts.clock ?? new SystemClock()),
        LoggerModule.forRoot({
          // A named wildcard: the bare `*` default makes Nest warn about legacy route syntax at start-up.
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
          pinoHttp: [
            {
              level: config.env.TONGFA_LOG_LEVEL,
              genReqId: (req: IncomingMessage, res: ServerResponse) => {
                const given = req.headers['x-request-id'];
                const id = typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
                res.setHeader('X-Request-Id', id);
                return id;
              },
              redact: { paths: LOG_REDACT, censor: '[redacted]' },
              serializers: { req: maskLoggedRequest },
              autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics' },
              customProps: () => ({ service: 'hub' }),
              // A 503 is a state the hub chose (not ready, a dependency down), not a crash: a warning
              // without pino-http's made-up stack; the exception filter has logged the real errors.
              customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
                res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info',
              customErrorObject: (_req: IncomingMessage, res: ServerResponse, _err: Error, val: Record<string, unknown>) =>
                res.statusCode === 503 ? { ...val, err: undefined } : val,
              ...(tty ? { customSuccessMessage: requestLine, customErrorMessage: requestLine } : {}),
            },
            tty ?? pino.destination({ dest: 1, sync: true }),
          ],
        }),
        // Provides the counters' storage; LoginThrottle applies the sign-in limits itself.
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'login', ttl: 60_000, limit: config.env.TONGFA_LOGIN_RATE_LIMIT }],
          storage: loginThrottleStorage(config),
        }),
        // Not-ready answers are logged once, as warnings, by the exception filter and the request log.
        TerminusModule.forRoot({ logger: false }),
        DatabaseModule,
        IdentityModule,
        OidcModule,
        AuditModule,
        AccountsModule,
        PluginsModule,
        ManuscriptsModule,
        MediaModule,
        ComplianceModule,
        AlertsModule,
        JobsModule.forRoot({ consume: opts.consumeJobs ?? config.embedded }),
        PublishingModule.forRoot({ consume: opts.consumeJobs ?? config.embedded }),
        CampaignsHttpModule,
        KnowledgeHttpModule,
        NotificationsHttpModule,
        InboxHttpModule,
        MonitoringHttpModule,
        DutyHttpModule,
        SupervisionHttpModule,
      ],
      controllers: [
        AlertsController,
        PublicationsController,
        MediaController,
        LexiconsController,
        ComplianceController,
        ManuscriptsController,
        AccountConnectionsController,
        PluginsController,
        AccountsController,
        AuthController,
        OidcController,
        ApiKeysController,
        UnitsController,
        UsersController,
        AuditController,
        HealthController,
        MetricsController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        AuditTrail,
        LocalStrategy,
        LoginThrottle,
        LoginThrottleGuard,
        RedisProbe,
        MetricsRegistry,
        QueueAdminGate,
        StartupService,
        StartupGate,
        OidcProviderMount,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((req: IncomingMessage & { id?: string; ip?: string }, _res: ServerResponse, next: () => void) => {
        requestContext.run(
          {
            requestId: String(req.id ?? randomUUID()),
            ip: req.ip ?? req.socket.remoteAddress ?? null,
            userAgent: (req.headers['user-agent'] ?? '').slice(0, 255) || null,
            actor: null,
            audited: false,
          },
          next,
        );
      }, HttpMetricsMiddleware)
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
