import type { Request } from 'express';
import { CommonError, CommonException } from '@tongfa/core';

/**
 * Reads a text/plain request body (the hub's global parsers take JSON and forms only), up to
 * `limit` bytes, as UTF-8.
 */
export async function readTextBody(req: Request, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new CommonException(CommonError.ValidationFailed, { fields: 'body' }, [{ field: 'body', message: `词表超过 ${limit} 字节` }]);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
