import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, posix, resolve } from 'node:path';

/** Paths that belong to the hub itself; every other GET may be a console route. */
// Only /admin/queues is the hub's: /admin/units and the rest are console pages that must survive a reload.
const HUB_PATHS = /^\/(api|oidc|admin\/queues|health|metrics|\.well-known)(\/|$)/;

/** Hashed file names change with their content: a browser may keep them for a year without asking. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashes: always revalidated, so a new deployment is picked up on the next load. */
export const REVALIDATE = 'no-cache';

/** Precompressed variants written by scripts/build-console.mjs, best first. */
const VARIANTS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/** Where `vite build` puts the console: apps/console/dist under the repository root (or the image's /app). */
export function consoleDistDir(): string | null {
  const candidates = [resolve(__dirname, '../../../../../apps/console/dist'), resolve(process.cwd(), 'apps/console/dist')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

/**
 * CSP sources for the inline scripts of the console's index.html (the boot script, inlined so it
 * runs before any file is fetched): `'sha256-…'` of each, so `script-src` allows exactly these and no
 * other inline script. None without a build.
 */
export function consoleInlineScriptHashes(dir = consoleDistDir()): string[] {
  if (!dir) return [];
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  return [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .filter((m) => m[1].trim())
    .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}

/** Every file under `dir` by its URL path relative to it ('assets/x.js'), read once at start-up. */
function listFiles(dir: string, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const name of readdirSync(dir)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, name)).isDirectory()) for (const f of listFiles(join(dir, name), rel)) out.add(f);
    else out.add(rel);
  }
  return out;
}

/** Encodings the request accepts (q > 0), by name; `*` stands for any encoding not named. */
function acceptedEncodings(header: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  const refused = new Set<string>();
  let star = false;
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    const ok = !q || Number(q[1]) > 0;
    if (name === '*') star = ok;
    else (ok ? out : refused).add(name);
  }
  if (star) for (const v of VARIANTS) if (!refused.has(v.encoding)) out.add(v.encoding);
  return out;
}

/**
 * Serves the built console at `/` when it exists: hashed assets cached for good, index.html for
 * any other non-hub path (the console routes in the browser) and never cached. A file with a
 * precompressed variant is sent as brotli or gzip when the browser accepts it (and as is when it
 * does not); nothing is compressed per request. Without a build the hub is API-only.
 */
export function serveConsole(app: NestExpressApplication, dir = consoleDistDir()): boolean {
  if (!dir) return false;
  // The build is fixed for the life of the process (a new build means a new deployment).
  const files = listFiles(dir);

  const send = (req: Request, res: Response, next: NextFunction, rel: string, cacheControl: string) => {
    const variants = VARIANTS.filter((v) => files.has(rel + v.suffix));
    let file = rel;
    if (variants.length) {
      // Caches between us and the browser must key the response by what the browser accepts.
      res.setHeader('Vary', 'Accept-Encoding');
      const accepted = acceptedEncodings(req.headers['accept-encoding']);
      // Our order, not the browser's: Chromium lists gzip before br, yet br is smaller.
      const chosen = variants.find((v) => accepted.has(v.encoding));
      if (chosen) {
        file = rel + chosen.suffix;
        res.setHeader('Content-Encoding', chosen.encoding);
        // send() keeps a Content-Type already set; without it `.br` would go out as octet-stream.
        res.type(extname(rel));
      }
    }
    res.sendFile(file, { root: dir, cacheControl: false, headers: { 'Cache-Control': cacheControl } }, (err) => err && next());
  };

  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || HUB_PATHS.test(req.path)) return next();
    let rel: string;
    try {
      rel = posix.normalize(decodeURIComponent(req.path)).replace(/^\/+/, '');
    } catch {
      return next();
    }
    // Only names in the build's own listing are served: nothing outside dist, no `.br` asked for by name.
    if (files.has(rel) && !VARIANTS.some((v) => rel.endsWith(v.suffix))) {
      return send(req, res, next, rel, rel.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
    }
    // A missing hashed asset is a 404, not the console's page (a module script given HTML fails obscurely).
    if (rel.startsWith('assets/') || /\.[a-z0-9]+$/i.test(rel)) return next();
    send(req, res, next, 'index.html', REVALIDATE);
  });
  return true;
}
