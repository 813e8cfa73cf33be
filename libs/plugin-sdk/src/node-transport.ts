import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';

/** What the transport returns: the status, lower-case headers and the decoded body. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  bytes: Uint8Array;
}

export interface TransportRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  signal: AbortSignal;
  /** Resolves names for the socket; the only addresses it may connect to. */
  lookup: LookupFunction;
  /** Checked against the connected socket's address (a pooled socket skips the lookup). */
  permitSocket: (address: string) => Error | null;
}

/** A failure with whether any byte of the request may have reached the server. */
export class TransportError extends Error {
  constructor(
    readonly original: unknown,
    /** False when no connection was ever made: the request cannot have been processed. */
    readonly connected: boolean,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

// Own pools, so sockets opened under these rules are never lent to other code (or borrowed from it).
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

// Platforms do not compress unasked, but a proxy may; bounded so a compressed reply cannot explode.
const MAX_DECODED_BYTES = 256 * 1024 * 1024;
const decoders: Record<string, (b: Buffer, o: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip) as never,
  'x-gzip': promisify(gunzip) as never,
  deflate: promisify(inflate) as never,
  br: promisify(brotliDecompress) as never,
};

/**
 * One HTTP exchange on node's http/https with the given lookup, never following redirects (a 3xx
 * comes back as it is, so a redirect can lead nowhere the plugin could not go by itself).
 */
export function nodeTransport(req: TransportRequest): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    let connected = false;
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      reject(new TransportError(e, connected));
    };
    const https = req.url.protocol === 'https:';
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    const out = (https ? httpsRequest : httpRequest)(req.url, {
      method: req.method,
      headers,
      agent: https ? httpsAgent : httpAgent,
      lookup: req.lookup,
      signal: req.signal,
    });
    const check = (socket: Socket) => {
      const refusal = socket.remoteAddress ? req.permitSocket(socket.remoteAddress) : null;
      if (refusal) {
        out.destroy(refusal);
        return;
      }
      connected = true;
    };
    out.on('socket', (socket: Socket) => {
      if (socket.remoteAddress && !socket.connecting) check(socket);
      else socket.once('connect', () => check(socket));
    });
    out.on('error', fail);
    out.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('aborted', () => fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
      res.on('end', () => {
        void (async () => {
          let body: Buffer = Buffer.concat(chunks);
          const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
          if (decoders[encoding]) body = await decoders[encoding]!(body, { maxOutputLength: MAX_DECODED_BYTES });
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
          if (decoders[encoding]) delete h['content-encoding'];
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: h, bytes: new Uint8Array(body) });
        })().catch(fail);
      });
    });
    if (req.body) out.end(req.body);
    else out.end();
  });
}
