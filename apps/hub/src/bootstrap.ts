import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import helmet from 'helmet';
import { AppConfig, Clock } from '@tongfa/core';
import { JobQueue, BullJobQueue } from '@tongfa/jobs';
import { HubModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { bodyParsers, webhookBodyParser } from './common/body-parsers';
import { QueueAdminGate } from './ops/queues-board';
import { consoleInlineScriptHashes, serveConsole } from './console/console-static';
import { quietBoot } from './ops/log-output';

export const API_PREFIX = 'api/v1';

export interface CreateHubOptions {
  clock?: Clock;
  consumeJobs?: boolean;
  /** Buffer Nest's own start-up logs (tests keep them quiet). */
  quiet?: boolean;
}

/**
 * Builds the hub application: the one place where HTTP-wide behaviour is set (security headers,
 * body limits, validation, the API prefix, OpenAPI, Bull Board). main.ts and the tests share it.
 */
export async function createHub(config: AppConfig, opts: CreateHubOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    HubModule.forRoot({ config, clock: opts.clock, consumeJobs: opts.consumeJobs }),
    { bufferLogs: true, bodyParser: false, logger: opts.quiet ? false : undefined },
  );
  if (!opts.quiet) app.useLogger(quietBoot(app.get(Logger)));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          // The editor plays a chosen video from a blob: URL to capture its poster frame.
          mediaSrc: ["'self'", 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          // The console's inline boot script by its hash, and no other inline script.
          scriptSrc: ["'self'", ...consoleInlineScriptHashes()],
        },
      },
    }),
  );
  // The web console (apps/console/dist) at `/`, when built; the API stays under /api.
  serveConsole(app);
  app.use(`/${API_PREFIX}/webhooks`, webhookBodyParser(config.env.TONGFA_BODY_LIMIT));
  app.use(...bodyParsers(config.env.TONGFA_BODY_LIMIT));
  app.enableCors({ origin: config.env.TONGFA_CORS_ORIGINS.length ? config.env.TONGFA_CORS_ORIGINS : false, credentials: true });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const doc = new DocumentBuilder()
    .setTitle('Tongfa 统发 API')
    .setDescription('政务新媒体矩阵统一发布平台接口 / Publishing hub for government new-media matrices')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs-json' });

  await mountQueueBoard(app);
  return app;
}

async function mountQueueBoard(app: INestApplication): Promise<void> {
  const queue = app.get(JobQueue);
  const express = app.getHttpAdapter().getInstance() as import('express').Express;
  const gate = app.get(QueueAdminGate);
  // Everything under the board's path, its API and assets included, is for operators only.
  express.use('/admin/queues', (req, res, next) => void gate.use(req, res, next));
  if (queue instanceof BullJobQueue) {
    const { createBullBoard } = await import('@bull-board/api');
    const { BullAdapter } = await import('@bull-board/api/bullAdapter');
    const { ExpressAdapter } = await import('@bull-board/express');
    const adapter = new ExpressAdapter();
    adapter.setBasePath('/admin/queues');
    createBullBoard({ queues: [...queue.queues.values()].map((q) => new BullAdapter(q)), serverAdapter: adapter });
    express.use('/admin/queues', adapter.getRouter());
  } else {
    // Embedded mode has no Bull: show the depth of the in-database queues instead.
    express.get('/admin/queues', (_req, res, next) => {
      queue.depth().then((depth) => res.json({ mode: 'embedded', depth }), next);
    });
  }
}
