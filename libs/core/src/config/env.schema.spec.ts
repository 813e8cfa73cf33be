import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseEnv } from './env.schema';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from './app-config';
import { SECRET_KEY_FILE, secretKeyWeakness } from './secret-key';

/** Runs parseEnv on `env` and returns the error's lines (fails if it did not throw). */
function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, 'a ConfigError');
    return e.message.split('\n');
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe('environment schema', () => {
  it('starts with no variables at all: the embedded defaults', () => {
    const env = parseEnv({});
    assert.equal(env.PORT, 3000);
    assert.equal(env.DATABASE_URL, 'sqlite:data/tongfa.db');
    assert.equal(env.REDIS_URL, undefined);
    assert.equal(env.TONGFA_AUDIT_RETENTION_DAYS, 180);
    assert.equal(env.TONGFA_BODY_LIMIT, '1mb');
    assert.deepEqual(env.TONGFA_CORS_ORIGINS, []);
  });

  it('sends unit bots to the public APIs, to the sandbox’s simulators when the demo runs, and where configured', () => {
    const key = randomBytes(32).toString('hex');
    const plain = new AppConfig(parseEnv({}), null).botUrls;
    assert.deepEqual(plain, { wecom: 'https://qyapi.weixin.qq.com', dingtalk: 'https://oapi.dingtalk.com', fromSandbox: false });
    const demo = new AppConfig(parseEnv({ TONGFA_DEMO: '1', SANDBOX_PORT: '3101' }), { key, source: { kind: 'env' } }).botUrls;
    assert.deepEqual(demo, {
      wecom: 'http://127.0.0.1:3101/_bots/wecom',
      dingtalk: 'http://127.0.0.1:3101/_bots/dingtalk',
      fromSandbox: true,
    });
    const chosen = new AppConfig(parseEnv({ TONGFA_DEMO: '1', TONGFA_WECOM_BOT_URL: 'https://bots.example.gov.cn/wecom' }), null).botUrls;
    assert.equal(chosen.wecom, 'https://bots.example.gov.cn/wecom');
    assert.equal(chosen.fromSandbox, false, 'an operator’s choice is kept, the demo does not redirect it');
  });

  it('converts numbers, booleans and comma lists, and treats an empty value as unset', () => {
    const env = parseEnv({
      PORT: '8080',
      TONGFA_DEMO: 'no',
      TONGFA_CORS_ORIGINS: ' https://a.gov.cn , https://b.gov.cn,, ',
      TONGFA_LOGIN_RATE_LIMIT: '',
      REDIS_URL: '',
    });
    assert.equal(env.PORT, 8080);
    assert.equal(env.TONGFA_DEMO, false);
    assert.deepEqual(env.TONGFA_CORS_ORIGINS, ['https://a.gov.cn', 'https://b.gov.cn']);
    assert.equal(env.TONGFA_LOGIN_RATE_LIMIT, 20);
    assert.equal(env.REDIS_URL, undefined);
    for (const [raw, v] of [
      ['1', true],
      ['true', true],
      ['yes', true],
      ['0', false],
      ['false', false],
    ] as const) {
      assert.equal(parseEnv({ TONGFA_DEMO: raw }).TONGFA_DEMO, v, raw);
    }
  });

  it('accepts both database shapes and a Redis URL', () => {
    assert.equal(parseEnv({ DATABASE_URL: 'mysql://tongfa:pw@db:3306/tongfa' }).DATABASE_URL, 'mysql://tongfa:pw@db:3306/tongfa');
    assert.equal(parseEnv({ DATABASE_URL: 'sqlite:/var/lib/tongfa/t.db' }).DATABASE_URL, 'sqlite:/var/lib/tongfa/t.db');
    assert.equal(parseEnv({ REDIS_URL: 'rediss://cache:6380/2' }).REDIS_URL, 'rediss://cache:6380/2');
  });

  // One wrong value of each kind of variable: the error is one line that names it.
  const wrong: [string, string, string][] = [
    ['enum', 'NODE_ENV', 'staging'],
    ['enum', 'TONGFA_LOG_LEVEL', 'loud'],
    ['port, not a number', 'PORT', 'abc'],
    ['port, out of range', 'PORT', '70000'],
    ['port, fractional', 'SANDBOX_PORT', '3.5'],
    ['database URL of another engine', 'DATABASE_URL', 'postgres://db/tongfa'],
    ['database URL without a scheme', 'DATABASE_URL', 'db:3306/tongfa'],
    ['Redis URL without a scheme', 'REDIS_URL', '127.0.0.1:6379'],
    ['queue prefix', 'TONGFA_QUEUE_PREFIX', 'Bad Prefix!'],
    ['boolean', 'TONGFA_DEMO', 'maybe'],
    ['username:password pair', 'TONGFA_BOOTSTRAP_ADMIN', 'admin'],
    ['secret too short', 'TONGFA_SECRET_KEY', 'hunter2'],
    ['URL', 'TONGFA_PUBLIC_URL', 'tongfa.example.gov.cn'],
    ['size', 'TONGFA_BODY_LIMIT', '1gb'],
    ['duration below the minimum', 'TONGFA_ACCESS_TOKEN_TTL', '10'],
    ['duration above the maximum', 'TONGFA_ACCESS_TOKEN_TTL', '86400'],
    ['count of zero', 'TONGFA_LOGIN_MAX_FAILURES', '0'],
    ['retention below the legal minimum', 'TONGFA_AUDIT_RETENTION_DAYS', '30'],
  ];
  for (const [kind, name, value] of wrong) {
    it(`refuses a wrong ${kind} with one line naming ${name}`, () => {
      const lines = problems({ [name]: value });
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, new RegExp(`\\b${name}\\b`));
      assert.match(lines[0]!, /^配置错误 invalid environment variable /);
    });
  }

  it('never echoes the value of a secret it refuses', () => {
    const [line] = problems({ TONGFA_SECRET_KEY: 'my-secret-value' });
    assert.ok(!line!.includes('my-secret-value'), line);
    const [admin] = problems({ TONGFA_BOOTSTRAP_ADMIN: 'admin:short' });
    assert.ok(!admin!.includes('admin:short'), admin);
  });

  it('names every wrong variable, one line each', () => {
    const lines = problems({ PORT: 'x', TONGFA_LOG_LEVEL: 'loud', TONGFA_AUDIT_RETENTION_DAYS: '7' });
    assert.equal(lines.length, 3);
    for (const name of ['PORT', 'TONGFA_LOG_LEVEL', 'TONGFA_AUDIT_RETENTION_DAYS'])
      assert.ok(
        lines.some((l) => l.includes(name)),
        name,
      );
  });
});

describe('AppConfig.fromEnv', () => {
  const strong = () => randomBytes(32).toString('hex');

  it('requires TONGFA_SECRET_KEY with a MySQL database, naming it in one line', () => {
    for (const NODE_ENV of ['production', 'development']) {
      assert.throws(
        () => AppConfig.fromEnv({ NODE_ENV, DATABASE_URL: 'mysql://db/tongfa' }),
        (e: Error) => e instanceof ConfigError && /TONGFA_SECRET_KEY/.test(e.message) && !e.message.includes('\n'),
      );
    }
  });

  it('uses the given key; migrations and audit checks run without one', () => {
    const key = strong();
    assert.equal(AppConfig.fromEnv({ NODE_ENV: 'production', TONGFA_SECRET_KEY: key }).secretKey, key);
    const tools = AppConfig.fromEnv({ DATABASE_URL: 'mysql://db/tongfa' }, { secretKey: false });
    assert.throws(() => tools.secretKey);
  });

  it('generates a random key once beside the SQLite file, readable by its owner only, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongfa-key-'));
    try {
      const url = `sqlite:${join(dir, 'data', 'tongfa.db')}`;
      const first = AppConfig.fromEnv({ NODE_ENV: 'production', DATABASE_URL: url });
      const file = join(dir, 'data', SECRET_KEY_FILE);
      assert.deepEqual(first.secretKeySource, { kind: 'file', file, created: true });
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(secretKeyWeakness(first.secretKey), null);
      const again = AppConfig.fromEnv({ NODE_ENV: 'production', DATABASE_URL: url });
      assert.equal(again.secretKey, first.secretKey);
      assert.deepEqual(again.secretKeySource, { kind: 'file', file, created: false });
      // Another data directory gets another key: nothing is derived from the database location.
      const other = AppConfig.fromEnv({ DATABASE_URL: `sqlite:${join(dir, 'other', 'tongfa.db')}` });
      assert.notEqual(other.secretKey, first.secretKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a kept key file that was emptied, rather than signing with nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongfa-key-'));
    try {
      writeFileSync(join(dir, SECRET_KEY_FILE), '\n', { mode: 0o600 });
      assert.throws(
        () => AppConfig.fromEnv({ DATABASE_URL: `sqlite:${join(dir, 'tongfa.db')}` }),
        (e: Error) => e instanceof ConfigError && /TONGFA_SECRET_KEY/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is embedded without REDIS_URL and distributed with it', () => {
    assert.equal(AppConfig.fromEnv({ DATABASE_URL: 'sqlite::memory:' }).embedded, true);
    assert.equal(AppConfig.fromEnv({ REDIS_URL: 'redis://r:6379', TONGFA_SECRET_KEY: strong() }).embedded, false);
  });
});

describe('secret key strength', () => {
  it('accepts keys from openssl rand -hex 32 and -base64 32', () => {
    for (let i = 0; i < 200; i++) {
      assert.equal(secretKeyWeakness(randomBytes(32).toString('hex')), null);
      assert.equal(secretKeyWeakness(randomBytes(32).toString('base64')), null);
    }
  });

  const weak: [string, string][] = [
    ['one repeated character', 'a'.repeat(64)],
    ['a repeated pattern', 'abc'.repeat(20)],
    ['a repeated pattern with a partial tail', 'Tongfa#2026'.repeat(4)],
    ['a placeholder word', 'password-for-tongfa-2026-production!'],
    ['a placeholder word in capitals', 'MyPassWord_is_very_long_and_unique_9z'],
    ['a run of neighbouring characters', 'abcdefghijklmnopqrstuvwxyz0123456789'],
    ['too few distinct symbols', '0110100111010001011010011101000101101001'],
  ];
  for (const [what, key] of weak) {
    it(`refuses ${what}, in one line naming TONGFA_SECRET_KEY without echoing it`, () => {
      assert.ok(secretKeyWeakness(key), `${key} is weak`);
      const lines = problems({ TONGFA_SECRET_KEY: key });
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, /^配置错误 invalid environment variable TONGFA_SECRET_KEY: 密钥强度不足/);
      assert.ok(!lines[0]!.includes(key), 'the key is not echoed');
    });
  }
});
