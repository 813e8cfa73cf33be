import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Paths that belong to the hub itself; every other GET may be a console route. */
const HUB_PATHS = /^\/(api|oidc|admin|health|metrics|\.well-known)(\/|$)/;

/** Where `vite build` puts the console: apps/console/dist under the repository root (or the image's /app). */
export function consoleDistDir(): string | null {
  const candidates = [resolve(__dirname, '../../../../../apps/console/dist'), resolve(process.cwd(), 'apps/console/dist')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

/**
 * Serves the built console at `/` when it exists: hashed assets cached for good, index.html for
 * any other non-hub path (the console routes in the browser) and never cached, so a new
 * deployment is picked up on the next load. Without a build the hub is API-only.
 */
export function serveConsole(app: NestExpressApplication, dir = consoleDistDir()): boolean {
  if (!dir) return false;
  app.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || HUB_PATHS.test(req.path)) return next();
    if (/\.[a-z0-9]+$/i.test(req.path)) {
      // A file at the root of dist (a favicon, say); sendFile's root refuses paths that climb out.
      return res.sendFile(req.path.slice(1), { root: dir }, (err) => err && next());
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: dir });
  });
  return true;
}
