import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ThrottlerException } from '@nestjs/throttler';
import { DomainException, ErrorDetail, ErrorKind, pickLang } from '@tongfa/core';
import { randomUUID } from 'node:crypto';
import { currentRequest } from './request-context';
import { toBodyException } from './body-parsers';
import { fieldLabel, localizeText } from './error-text';

const KIND_STATUS: Record<ErrorKind, number> = {
  [ErrorKind.Invalid]: 400,
  [ErrorKind.Unauthenticated]: 401,
  [ErrorKind.Forbidden]: 403,
  [ErrorKind.NotFound]: 404,
  [ErrorKind.Conflict]: 409,
  [ErrorKind.Locked]: 423,
  [ErrorKind.TooMany]: 429,
  [ErrorKind.Unavailable]: 503,
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details: ErrorDetail[];
  requestId?: string;
}

/** Errors thrown by body-parser before any handler runs. */
interface ParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

/** The status an error answers with: what the audit of a refused request records, as the client saw it. */
export function statusOf(e: unknown): number {
  if (e instanceof DomainException) return KIND_STATUS[e.spec.kind];
  if (e instanceof HttpException) return e.getStatus();
  const pe = e as ParserError | null;
  const status = pe && typeof pe === 'object' && typeof pe.type === 'string' ? (pe.status ?? pe.statusCode) : undefined;
  return typeof status === 'number' && status < 500 ? status : 500;
}

/**
 * The one exhaustive translation of errors to HTTP: domain exceptions by kind, Nest's own HTTP
 * exceptions, body-parser's errors; anything else is a generic 500 with a request id, and the
 * details go to the log only.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const lang = pickLang(req.headers['accept-language']);
    const body = this.toBody(exception, lang);
    body.message = localizeText(body.message, lang);
    body.details = body.details.map((d) => ({ ...d, message: localizeText(d.message, lang) }));
    body.message = nameFields(body, lang);
    body.requestId = this.requestId(req, res);
    if (body.statusCode === 503 && exception instanceof HttpException) {
      // An answer the code chose (not ready, a dependency down): a state, not a failure of ours.
      this.logger.warn({ requestId: body.requestId, message: body.message }, 'service unavailable');
    } else if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: body.requestId }, 'unhandled error');
    }
    if (body.statusCode === 429 && exception instanceof ThrottlerException) res.setHeader('Retry-After', '60');
    if (exception instanceof DomainException && exception.spec.retryAfterSeconds)
      res.setHeader('Retry-After', String(exception.spec.retryAfterSeconds));
    res.status(body.statusCode).json(body);
  }

  /** Errors raised before the request-id middleware ran (body parsing) still get an id to quote. */
  private requestId(req: Request, res: Response): string {
    const known = currentRequest()?.requestId ?? (req as Request & { id?: unknown }).id;
    if (known) return String(known);
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    if (!res.headersSent) res.setHeader('X-Request-Id', id);
    return id;
  }

  private toBody(e: unknown, lang: 'zh' | 'en'): ErrorBody {
    if (e instanceof DomainException) {
      const statusCode = KIND_STATUS[e.spec.kind];
      return { statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', message: e.text(lang), code: e.code, details: e.details };
    }
    if (e instanceof ThrottlerException) {
      return {
        statusCode: 429,
        error: STATUS_TEXT[429]!,
        message: lang === 'en' ? 'Too many requests; try again later' : '请求过于频繁，请稍后再试',
        code: 'RATE_LIMITED',
        details: [],
      };
    }
    if (e instanceof HttpException) {
      const statusCode = e.getStatus();
      const r = e.getResponse() as string | { message?: unknown; details?: ErrorDetail[]; code?: string };
      let details = typeof r === 'object' && Array.isArray(r.details) ? r.details : [];
      // Express could not percent-decode a path parameter (e.g. %FF).
      if (statusCode === 400 && !details.length && /^Failed to decode param/.test(e.message)) {
        details = [{ field: 'path', code: 'malformedUri', message: 'malformed percent-encoding' }];
      }
      let message = typeof r === 'string' ? r : typeof r.message === 'string' ? r.message : e.message;
      if (statusCode === 404 && !details.length) message = lang === 'en' ? 'Not found' : '请求的资源不存在';
      return {
        statusCode,
        error: STATUS_TEXT[statusCode] ?? 'Error',
        message,
        code: typeof r === 'object' ? r.code : undefined,
        details,
      };
    }
    const pe = e as ParserError;
    if (pe && typeof pe === 'object' && typeof pe.type === 'string' && (pe.status ?? pe.statusCode ?? 500) < 500) {
      return this.toBody(toBodyException(pe as Error & ParserError, lang), lang);
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: STATUS_TEXT[500]!,
      message: lang === 'en' ? 'Internal error; quote the request id to the operator' : '服务器内部错误，请将请求编号告知系统管理员',
      code: 'INTERNAL',
      details: [],
    };
  }
}

/**
 * A client error names its fields in `message` as well as in `details`, so a person reading only
 * the message (a log line, a toast) knows what to fix.
 */
function nameFields(body: ErrorBody, lang: 'zh' | 'en'): string {
  if (body.statusCode >= 500) return body.message;
  // A detail that repeats the message (the request body as a whole) is named by the message itself.
  const fields = body.details.filter((d) => d.field && d.message !== body.message).map((d) => d.field!);
  const labels = [...new Set(fields)].map((f) => fieldLabel(f, lang));
  const missing = [...new Set(labels)].filter((l) => !body.message.includes(l));
  if (!missing.length) return body.message;
  return lang === 'en' ? `${body.message} (field: ${missing.join(', ')})` : `${body.message}（字段：${missing.join(', ')}）`;
}
