import { HttpException, HttpStatus } from '@nestjs/common';
import { json, raw, urlencoded } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pickLang } from '@tongfa/core';

/**
 * The deepest nesting of arrays and objects a JSON body may have. No request of the API needs more
 * than a handful; V8's JSON.parse takes any depth, but what reads the value next (validation,
 * class-transformer, JSON.stringify in the logs and the audit) recurses and overflows the stack.
 */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests arrays and objects more than `max` deep; walks without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

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
  'entity.too.deep': {
    status: 400,
    code: 'JSON_TOO_DEEP',
    zh: `请求体 JSON 嵌套过深，最多 ${MAX_JSON_DEPTH} 层`,
    en: `The JSON body is nested too deeply (at most ${MAX_JSON_DEPTH} levels)`,
  },
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

function wrap(parser: RequestHandler, opts: { maxDepth?: number } = {}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    parser(req, res, (err?: unknown) => {
      const lang = pickLang(req.headers['accept-language']);
      if (err) return next(toBodyException(err as ParserError, lang));
      // Checked here, before any validation or logging touches the value.
      if (opts.maxDepth && req.body !== null && typeof req.body === 'object' && nestedDeeperThan(req.body, opts.maxDepth)) {
        req.body = undefined;
        return next(toBodyException({ name: 'Error', message: 'too deep', type: 'entity.too.deep' }, lang));
      }
      next();
    });
}

/**
 * A JSON body parser with the API's limits: up to `limit` bytes (TONGFA_BODY_LIMIT), an object or
 * an array, nested at most MAX_JSON_DEPTH deep. Every route that reads JSON (a platform's
 * webhook too) goes through this one.
 */
export function jsonBodyParser(limit: string): RequestHandler {
  return wrap(json({ limit, strict: true }), { maxDepth: MAX_JSON_DEPTH });
}

/** JSON and form bodies up to `limit` (TONGFA_BODY_LIMIT); form bodies are flat (no nesting at all). */
export function bodyParsers(limit: string): RequestHandler[] {
  return [jsonBodyParser(limit), wrap(urlencoded({ extended: false, limit, parameterLimit: 200 }))];
}

/**
 * Platform pushes (`/webhooks/:plugin`) keep their bytes: the plugin checks the signature over the
 * exact body (Douyin signs secret + body; WeChat's XML is decrypted as sent). Mounted before the
 * JSON parser, which then leaves the already-read body alone.
 */
export function webhookBodyParser(limit: string): RequestHandler {
  return wrap(raw({ type: () => true, limit }));
}
