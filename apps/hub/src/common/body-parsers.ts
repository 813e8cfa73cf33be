import { HttpException, HttpStatus } from '@nestjs/common';
import { json, urlencoded } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pickLang } from '@tongfa/core';

/** What body-parser attaches to the errors it raises. */
interface ParserError extends Error {
  type?: string;
  status?: number;
  charset?: string;
  encoding?: string;
}

const PARSER_ERRORS: Record<string, { status: number; code: string; zh: string; en: string }> = {
  'entity.parse.failed': { status: 400, code: 'MALFORMED_JSON', zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'BODY_TOO_LARGE', zh: '请求体过大', en: 'The request body is too large' },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_CHARSET', zh: '不支持的请求体字符集', en: 'Unsupported body charset' },
  'encoding.unsupported': { status: 415, code: 'UNSUPPORTED_ENCODING', zh: '不支持的请求体编码', en: 'Unsupported body encoding' },
  'request.aborted': { status: 400, code: 'BODY_ABORTED', zh: '请求体未传输完整', en: 'The request body was cut off' },
  'request.size.invalid': {
    status: 400,
    code: 'BODY_SIZE_MISMATCH',
    zh: '请求体长度与声明不符',
    en: 'Body length does not match Content-Length',
  },
  'parameters.too.many': { status: 413, code: 'TOO_MANY_PARAMETERS', zh: '表单字段过多', en: 'Too many form fields' },
};

/**
 * Turns a body-parser error into an HttpException of the API's error shape. Without this, Nest
 * maps a JSON syntax error to a bare 400 that echoes the parser's text and names no field.
 */
export function toBodyException(err: ParserError, lang: 'zh' | 'en' = 'zh'): HttpException {
  const known = err.type ? PARSER_ERRORS[err.type] : undefined;
  const status = known?.status ?? (err.status && err.status >= 400 && err.status < 500 ? err.status : HttpStatus.BAD_REQUEST);
  const text = known ? known[lang] : lang === 'en' ? 'The request body could not be read' : '无法读取请求体';
  return new HttpException(
    {
      message: text,
      code: known?.code ?? 'BAD_BODY',
      details: [{ field: 'body', code: err.type ?? 'unreadable', message: text }],
    },
    status,
  );
}

function wrap(parser: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    parser(req, res, (err?: unknown) => {
      if (!err) return next();
      next(toBodyException(err as ParserError, pickLang(req.headers['accept-language'])));
    });
}

/** JSON and form bodies up to `limit` (TONGFA_BODY_LIMIT); JSON must be an object or an array. */
export function bodyParsers(limit: string): RequestHandler[] {
  return [wrap(json({ limit, strict: true })), wrap(urlencoded({ extended: false, limit, parameterLimit: 200 }))];
}
