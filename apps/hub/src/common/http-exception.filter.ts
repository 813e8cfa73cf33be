import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ThrottlerException } from '@nestjs/throttler';
import { DomainException, ErrorDetail, ErrorKind, pickLang } from '@tongfa/core';
import { currentRequest } from './request-context';

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
    const requestId = currentRequest()?.requestId ?? (req as Request & { id?: string }).id;
    const body = this.toBody(exception, lang);
    body.requestId = requestId ? String(requestId) : undefined;
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId }, 'unhandled error');
    }
    if (body.statusCode === 429 && exception instanceof ThrottlerException) res.setHeader('Retry-After', '60');
    res.status(body.statusCode).json(body);
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
      const details = typeof r === 'object' && Array.isArray(r.details) ? r.details : [];
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
    if (pe && typeof pe === 'object' && typeof pe.type === 'string') {
      if (pe.type === 'entity.parse.failed') {
        return {
          statusCode: 400,
          error: STATUS_TEXT[400]!,
          message: lang === 'en' ? 'The request body is not valid JSON' : '请求体不是合法的 JSON',
          code: 'MALFORMED_JSON',
          details: [{ field: 'body', message: 'malformed JSON' }],
        };
      }
      if (pe.type === 'entity.too.large') {
        return {
          statusCode: 413,
          error: STATUS_TEXT[413]!,
          message: lang === 'en' ? 'The request body is too large' : '请求体过大',
          code: 'BODY_TOO_LARGE',
          details: [{ field: 'body', message: 'too large' }],
        };
      }
      const status = pe.status ?? pe.statusCode ?? 400;
      if (status >= 400 && status < 500) {
        return { statusCode: status, error: STATUS_TEXT[status] ?? 'Bad Request', message: pe.type, code: 'BAD_BODY', details: [] };
      }
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
