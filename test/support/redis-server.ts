import { ChildProcess, spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { pollUntil } from './poll';

/** A redis-server of a test's own (never the shared 6379), which the test may kill and restart empty. */
export interface TestRedis {
  port: number;
  url: string;
  /** SIGKILLs the server: everything in it is gone (no RDB, no AOF). */
  kill(): Promise<void>;
  /** Starts a fresh, empty server on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((done) => {
    const sock = connect(port, '127.0.0.1');
    let buf = '';
    sock.setTimeout(500, () => (sock.destroy(), done(false)));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (b) => {
      buf += b.toString();
      if (buf.includes('\r\n')) {
        sock.end();
        done(buf.startsWith('+PONG'));
      }
    });
  });
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await pollUntil(() => answersPing(port), { timeoutMs: 10_000, intervalMs: 50, what: `redis-server on ${port}` });
  };
  const kill = async () => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((done) => p.once('exit', done));
    p.kill('SIGKILL');
    await exited;
    proc = null;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, start, stop: kill };
}
