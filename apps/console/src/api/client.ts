// The one way the console talks to the hub: bearer tokens from the session, one refresh on 401,
// errors as ApiError with the API's field details so forms can show them at the field.
import type { EarlyMap } from '../lib/early';

export interface FieldProblem {
  field: string;
  message: string;
  code?: string;
  /** Spreadsheet imports name the row of each problem. */
  row?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const KEY = 'tongfa.tokens';
let tokens: Tokens | null = readTokens();
let lang: 'zh' | 'en' = 'zh';
let onSignedOut: () => void = () => undefined;

function readTokens(): Tokens | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

export function setTokens(t: Tokens | null): void {
  tokens = t;
  if (t) sessionStorage.setItem(KEY, JSON.stringify(t));
  else sessionStorage.removeItem(KEY);
}

export const hasTokens = (): boolean => tokens !== null;
export const accessToken = (): string | null => tokens?.accessToken ?? null;
export const setApiLanguage = (l: 'zh' | 'en'): void => void (lang = l);
export const onSessionEnded = (fn: () => void): void => void (onSignedOut = fn);

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { 'Accept-Language': lang === 'zh' ? 'zh-CN' : 'en', Accept: 'application/json', ...extra };
  if (tokens) h.Authorization = `Bearer ${tokens.accessToken}`;
  return h;
}

let refreshing: Promise<boolean> | null = null;
async function refresh(): Promise<boolean> {
  if (!tokens) return false;
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: tokens!.refreshToken }),
      });
      if (!res.ok) return false;
      const body = (await res.json()) as Tokens;
      setTokens({ accessToken: body.accessToken, refreshToken: body.refreshToken });
      return true;
    } catch {
      return false;
    } finally {
      setTimeout(() => (refreshing = null), 0);
    }
  })();
  return refreshing;
}

async function toError(res: Response): Promise<ApiError> {
  let body: { message?: string | string[]; details?: FieldProblem[]; code?: string } = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON: keep the status */
  }
  const msg = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? `HTTP ${res.status}`);
  return new ApiError(res.status, msg, body.details ?? [], body.code);
}

export async function raw(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
  const res = await fetch(`/api/v1${path}`, { ...init, headers: { ...headers(), ...(init.headers as Record<string, string>) } });
  if (res.status === 401 && !retried && tokens && !path.startsWith('/auth/login')) {
    if (await refresh()) return raw(path, init, true);
    setTokens(null);
    onSignedOut();
  }
  if (!res.ok) throw await toError(res);
  return res;
}

/**
 * GETs started before the page that needs them has rendered: the inline boot script in index.html
 * (src/boot.ts) asks who is signed in and the workbench's lists while the libraries download. The
 * page's own api() call for the same path takes that response instead of asking again. Each is taken
 * once, and only while fresh; one that failed (or answered 401: the boot script does not refresh
 * tokens) is asked again by the page, through the refresh.
 */
const early: EarlyMap = (window.__tongfaEarly ??= new Map());
const EARLY_FRESH_MS = 10_000;

export function takePrefetched(path: string): Promise<Response | null> | null {
  const e = early.get(path);
  if (!e) return null;
  early.delete(path);
  return Date.now() - e.at < EARLY_FRESH_MS ? e.res : null;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const pre = init.body === undefined && (init.method ?? 'GET') === 'GET' && !init.headers ? takePrefetched(path) : null;
  const res =
    (pre && (await pre)) ||
    (await raw(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }));
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export { qs } from '../lib/query';

/** Upload with progress: fetch has no upload progress, XMLHttpRequest does. */
export function upload<T>(path: string, file: File, onProgress: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: { message?: string; details?: FieldProblem[]; code?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* keep empty */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, body.message ?? `HTTP ${xhr.status}`, body.details ?? [], body.code));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network error'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

/**
 * Server-sent events with a bearer token: EventSource cannot send headers, so this reads the
 * stream with fetch and parses the `event:`/`data:` frames itself.
 */
export function streamEvents(path: string, onEvent: (type: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
  return (async () => {
    const res = await raw(path, { headers: { Accept: 'text/event-stream' }, signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let type = 'message';
        const data: string[] = [];
        for (const line of frame.split('\n')) {
          if (line.startsWith('event:')) type = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (data.length === 0) continue;
        try {
          onEvent(type, JSON.parse(data.join('\n')));
        } catch {
          onEvent(type, data.join('\n'));
        }
      }
    }
  })();
}

/** Media bytes need the bearer token, so images are fetched and shown through blob: URLs. */
const blobCache = new Map<string, Promise<string>>();
export function mediaUrl(id: string): Promise<string> {
  let p = blobCache.get(id);
  if (!p) {
    p = raw(`/media/${id}/content`).then(async (r) => URL.createObjectURL(await r.blob()));
    blobCache.set(id, p);
  }
  return p;
}
