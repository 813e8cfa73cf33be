import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { PluginHost } from '@tongfa/plugins';
import type { TestHub } from './test-hub';
import { pollUntil } from './poll';

export const WORKER_MAIN = resolve(__dirname, '../../apps/worker/src/main.js');

/** Uploads a cover photo as the editor and returns its media id. */
export async function uploadCover(hub: Pick<TestHub, 'http'>, editorToken: string, color = '#2a7'): Promise<string> {
  const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: color } })
    .jpeg()
    .toBuffer();
  const res = await hub.http
    .post('/api/v1/media')
    .set({ Authorization: `Bearer ${editorToken}` })
    .attach('file', photo, '封面.jpg');
  if (res.status !== 201) throw new Error(`media upload: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/**
 * A manuscript written, checked, submitted and approved through the API by a three-step chain
 * (policy interpretation unless another category is asked for), ready to publish.
 */
export async function approvedManuscript(
  hub: Pick<TestHub, 'http'>,
  tokens: { editor: string; reviewers: string[] },
  opts: { title: string; coverMediaId?: string; category?: 'policy' | 'news' | 'notice' | 'emergency' | 'reprint' },
): Promise<string> {
  const as = (t: string) => ({ Authorization: `Bearer ${t}` });
  const res = await hub.http
    .post('/api/v1/manuscripts')
    .set(as(tokens.editor))
    .send({
      title: opts.title,
      summary: '便民举措要点解读',
      body: `<p>${opts.title}。为进一步优化政务服务，县政府出台便民举措。</p><p>一是推行延时服务；二是推行预约服务。</p>`,
      category: opts.category ?? 'policy',
      source: { type: 'original' },
      ...(opts.coverMediaId ? { coverMediaId: opts.coverMediaId, mediaIds: [opts.coverMediaId] } : {}),
    });
  if (res.status !== 201) throw new Error(`manuscript: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.id as string;
  const submit = await hub.http.post(`/api/v1/manuscripts/${id}/submit`).set(as(tokens.editor));
  if (submit.status !== 200) throw new Error(`submit: ${submit.status} ${JSON.stringify(submit.body)}`);
  for (const r of tokens.reviewers) {
    const rv = await hub.http.post(`/api/v1/manuscripts/${id}/reviews`).set(as(r)).send({ decision: 'approve' });
    if (rv.status !== 200) throw new Error(`review: ${rv.status} ${JSON.stringify(rv.body)}`);
  }
  return id;
}

/** A compiled worker process (`npm run start:worker`) beside a test hub, on the hub's database and queues. */
export interface WorkerProcess {
  proc: ChildProcess;
  /** What it wrote (stdout and stderr), for a failing test's message. */
  output(): string;
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves when it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export function spawnWorker(hub: TestHub, env: Record<string, string> = {}, nodeArgs: string[] = []): WorkerProcess {
  const e = hub.config.env;
  const sandbox = hub.app.get(PluginHost).allowedSandboxOrigins;
  const proc = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, WORKER_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: e.DATABASE_URL,
      ...(e.REDIS_URL ? { REDIS_URL: e.REDIS_URL } : {}),
      TONGFA_QUEUE_PREFIX: e.TONGFA_QUEUE_PREFIX,
      TONGFA_SECRET_KEY: e.TONGFA_SECRET_KEY!,
      TONGFA_MEDIA_DIR: resolve(e.TONGFA_MEDIA_DIR),
      TONGFA_PUBLISH_LEASE_SECONDS: String(e.TONGFA_PUBLISH_LEASE_SECONDS),
      TONGFA_PUBLISH_CONCURRENCY: String(e.TONGFA_PUBLISH_CONCURRENCY),
      TONGFA_SANDBOX_RATE_LIMITS: e.TONGFA_SANDBOX_RATE_LIMITS,
      ...(e.TONGFA_PLUGINS.length ? { TONGFA_PLUGINS: e.TONGFA_PLUGINS.join(',') } : {}),
      TONGFA_LOG_LEVEL: 'info',
      // The worker may reach the simulators the hub's sandbox accounts use, and nothing else.
      ...(sandbox.length ? { TONGFA_SANDBOX_URL: sandbox[0]! } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    proc.on('exit', (code, signal) => done({ code, signal })),
  );
  return {
    proc,
    output: () => out,
    exited,
    // A cold start on a loaded machine (Nest, TypeORM, every plugin) can take well over 20 s.
    ready: async (timeoutMs = 60_000) => {
      await pollUntil(() => out.includes('worker ready') || proc.exitCode !== null, { timeoutMs, what: 'worker ready' });
      if (proc.exitCode !== null) throw new Error(`worker exited ${proc.exitCode}: ${out.slice(-2000)}`);
    },
    kill: async (signal) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      await exited;
    },
  };
}
