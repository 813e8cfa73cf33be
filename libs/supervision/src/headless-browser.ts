import { access, constants } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { SupervisionError, SupervisionException } from './supervision.exception';

/**
 * The headless browser port: prints the 通报's HTML to PDF and photographs an account's public page.
 * One adapter, Chromium through playwright-core at the path TONGFA_CHROMIUM names.
 */
export abstract class HeadlessBrowser {
  /** Prints self-contained HTML (no network) to an A4 PDF. */
  abstract pdf(html: string): Promise<Buffer>;
  /** Opens each URL and returns a full-page PNG (or the error) per URL, at most `concurrency` pages at once. */
  abstract screenshots(urls: string[], opts: { concurrency: number; timeoutMs: number }): Promise<(Buffer | Error)[]>;
}

/** Headless, no sandbox (the hub often runs as root in a container), nothing phoning home. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export class ChromiumBrowser extends HeadlessBrowser {
  constructor(private readonly executablePath: string) {
    super();
  }

  private async launch(): Promise<Browser> {
    try {
      await access(this.executablePath, constants.X_OK);
      // Loaded on first use: the library is large and most processes never print or photograph.
      const { chromium } = await import('playwright-core');
      return await chromium.launch({ executablePath: this.executablePath, args: ARGS, headless: true, timeout: 30_000 });
    } catch {
      throw new SupervisionException(SupervisionError.BrowserUnavailable, { path: this.executablePath });
    }
  }

  async pdf(html: string): Promise<Buffer> {
    const browser = await this.launch();
    try {
      // JavaScript off and every request refused: the document is static and must not reach out.
      const context = await browser.newContext({ javaScriptEnabled: false });
      await context.route('**/*', (route) => route.abort());
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
    } finally {
      await browser.close();
    }
  }

  async screenshots(urls: string[], opts: { concurrency: number; timeoutMs: number }): Promise<(Buffer | Error)[]> {
    if (!urls.length) return [];
    const browser = await this.launch();
    const out: (Buffer | Error)[] = new Array(urls.length);
    let next = 0;
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 800, height: 1000 } });
      const worker = async () => {
        for (let i = next++; i < urls.length; i = next++) {
          const page = await context.newPage();
          try {
            const res = await page.goto(urls[i]!, { timeout: opts.timeoutMs, waitUntil: 'load' });
            if (!res || res.status() >= 400) throw new Error(`page answered ${res?.status() ?? 'nothing'}`);
            out[i] = await page.screenshot({ fullPage: true, type: 'png', timeout: opts.timeoutMs });
          } catch (e) {
            out[i] = e instanceof Error ? e : new Error(String(e));
          } finally {
            await page.close();
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(opts.concurrency, urls.length) }, worker));
      return out;
    } finally {
      await browser.close();
    }
  }
}
