import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

const HUB = resolve(__dirname, '../apps/hub/src/main.js');

/** Starts the compiled hub with exactly `env` (plus PATH) and collects how it ends. */
function startHub(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [HUB], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the hub did not stop within 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/**
 * A misconfigured hub must refuse to start with exit code 78 (EX_CONFIG) and one line on stderr
 * that names the variable, before it opens a port or touches a database.
 */
describe('start-up with a wrong configuration', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['a DATABASE_URL of an unsupported engine', { DATABASE_URL: 'postgres://db:5432/tongfa' }, 'DATABASE_URL'],
    ['a DATABASE_URL that is not a URL', { DATABASE_URL: 'tongfa.db' }, 'DATABASE_URL'],
    ['an audit retention shorter than the legal six months', { TONGFA_AUDIT_RETENTION_DAYS: '30' }, 'TONGFA_AUDIT_RETENTION_DAYS'],
    [
      'production without TONGFA_SECRET_KEY',
      { NODE_ENV: 'production', DATABASE_URL: 'mysql://root@127.0.0.1:3306/none' },
      'TONGFA_SECRET_KEY',
    ],
    ['a port that is not a number', { PORT: 'eighty' }, 'PORT'],
    [
      'a MySQL database without TONGFA_SECRET_KEY, even in development',
      { DATABASE_URL: 'mysql://root@127.0.0.1:3306/none' },
      'TONGFA_SECRET_KEY',
    ],
    ['a secret key of one repeated character', { NODE_ENV: 'production', TONGFA_SECRET_KEY: 'a'.repeat(64) }, 'TONGFA_SECRET_KEY'],
    ['a secret key repeating a pattern', { NODE_ENV: 'production', TONGFA_SECRET_KEY: 'abc'.repeat(16) }, 'TONGFA_SECRET_KEY'],
    [
      'a secret key made of a placeholder word',
      { NODE_ENV: 'production', TONGFA_SECRET_KEY: 'password-for-tongfa-production-2026' },
      'TONGFA_SECRET_KEY',
    ],
    [
      'a secret key with too little randomness',
      { NODE_ENV: 'production', TONGFA_SECRET_KEY: '1010011010100101101001011010010110' },
      'TONGFA_SECRET_KEY',
    ],
  ];
  for (const [what, env, name] of cases) {
    it(`exits with 78 and one line naming ${name} on ${what}`, async () => {
      const r = await startHub({ TONGFA_DEMO: '0', ...env });
      assert.equal(r.code, 78, `exit code; stderr: ${r.stderr}`);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
      assert.match(lines[0]!, new RegExp(`\\b${name}\\b`));
      assert.match(lines[0]!, /^配置错误 invalid environment variable /, 'Chinese first');
      if (env.TONGFA_SECRET_KEY) assert.ok(!r.stderr.includes(env.TONGFA_SECRET_KEY), 'the key is not echoed');
      assert.equal(r.stdout, '', 'nothing started');
    });
  }

  it('accepts a key from openssl rand -hex 32 (it gets past the configuration)', async () => {
    // A port already taken stops the start after the configuration was accepted: not with 78.
    const r = await startHub({
      NODE_ENV: 'production',
      TONGFA_SECRET_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: 'sqlite::memory:',
      PORT: '-1',
    });
    assert.equal(r.code, 78, 'a negative port is a configuration error');
    assert.doesNotMatch(r.stderr, /TONGFA_SECRET_KEY/);
    assert.match(r.stderr, /\bPORT\b/);
  });
});
