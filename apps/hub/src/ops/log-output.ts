import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
import { maskPersonalData } from '@tongfa/knowledge';

/** Nest's own start-up chatter (every module and route): useful when debugging, noise at info. */
const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Nest's logs through `logger`, its start-up chatter at debug so a start reads in a few lines. */
export function quietBoot(logger: LoggerService): LoggerService {
  return {
    log: (message: unknown, ...rest: unknown[]) => {
      const context = rest.at(-1);
      if (typeof context === 'string' && BOOT_CONTEXTS.has(context)) return logger.debug?.(message, ...rest);
      return logger.log(message, ...rest);
    },
    error: (message: unknown, ...rest: unknown[]) => logger.error(message, ...rest),
    warn: (message: unknown, ...rest: unknown[]) => logger.warn(message, ...rest),
    debug: (message: unknown, ...rest: unknown[]) => logger.debug?.(message, ...rest),
    verbose: (message: unknown, ...rest: unknown[]) => logger.verbose?.(message, ...rest),
    fatal: (message: unknown, ...rest: unknown[]) => logger.fatal?.(message, ...rest),
  };
}

/**
 * Where log lines go: on a terminal, short coloured lines (`12:00:01 INFO [Startup] …`) through
 * pino-pretty, written synchronously so the start-up banner printed after them stays last; else
 * (a pipe, a file, a container's log collector) JSON lines, one per event. pino-pretty is a
 * development dependency: an install without it logs JSON on a terminal too.
 */
export function terminalLogStream(): DestinationStream | null {
  if (!process.stdout.isTTY) return null;
  let pretty: (opts: Record<string, unknown>) => DestinationStream;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: absent from production installs
    pretty = require('pino-pretty') as typeof pretty;
  } catch {
    return null;
  }
  return pretty({
    sync: true,
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,context,service,req,res,responseTime',
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
}

/** A request's one line on a terminal: method, path and status (the JSON lines carry everything). */
export function requestLine(req: IncomingMessage, res: ServerResponse): string {
  return `${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode}`;
}

/**
 * pino-http's request serializer, with mobile, ID and bank card numbers masked in the URL and the
 * query: a citizen's question travels in one (GET /qa/search?q=…) and must not reach a log line.
 */
export function maskLoggedRequest<T extends { url?: string; query?: unknown }>(req: T): T {
  const today = new Date();
  if (typeof req.url === 'string' && /\d/.test(req.url)) {
    let decoded = req.url;
    try {
      decoded = decodeURIComponent(req.url.replace(/\+/g, ' '));
    } catch {
      // A malformed escape: mask what is there.
    }
    const masked = maskPersonalData(decoded, today);
    if (masked !== decoded) req.url = masked;
  }
  if (req.query && typeof req.query === 'object') {
    // A copy: the serialized request may share its query object with the live request.
    req.query = Object.fromEntries(
      Object.entries(req.query as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? maskPersonalData(v, today) : v]),
    );
  }
  return req;
}
