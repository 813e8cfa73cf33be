import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pollUntil } from './poll';

export const HUB_MAIN = resolve(__dirname, '../../apps/hub/src/main.js');

/** The compiled hub started as `npm start` starts it (dist/apps/hub/src/main.js), on ephemeral ports. */
export interface HubProcess {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Waits for the banner (printed last, once start-up is complete) and returns the hub's URL. */
  started(timeoutMs?: number): Promise<string>;
  /** The sandbox's URL from the banner (demo only). */
  sandboxUrl(): string | null;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnHub(env: Record<string, string>, opts: { cwd?: string } = {}): HubProcess {
  const proc = spawn(process.execPath, ['--enable-source-maps', HUB_MAIN], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', SANDBOX_PORT: '0', TONGFA_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    proc.on('exit', (code, signal) => done({ code, signal })),
  );
  const listening = () => /is listening on (http:\/\/localhost:\d+)/.exec(out)?.[1] ?? null;
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    async started(timeoutMs = 60_000) {
      await pollUntil(() => listening() || proc.exitCode !== null, {
        timeoutMs,
        intervalMs: 50,
        what: `hub banner; stderr: ${err.slice(-2000)}`,
      });
      if (proc.exitCode !== null) throw new Error(`the hub exited ${proc.exitCode}: ${err.slice(-2000)}${out.slice(-2000)}`);
      // The banner is written in one go; wait for its end (the line after the last user, or the URL lines).
      await pollUntil(() => out.endsWith('\n') || proc.exitCode !== null, { timeoutMs: 5000, what: 'the whole banner' });
      return listening()!;
    },
    sandboxUrl: () => /沙箱 sandbox (http:\/\/[\d.]+:\d+)/.exec(out)?.[1] ?? null,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        const r = await exited;
        clearTimeout(timer);
        return r;
      }
      return exited;
    },
  };
}
