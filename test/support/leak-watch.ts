import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface CallOptions {
  token?: string;
  body?: object;
  lang?: 'zh' | 'en';
  /** Response fields that legitimately carry a secret (the one place it is shown); not watched. */
  shows?: string[];
}

/**
 * Watches an e2e suite for secrets in plain text: every password, refresh token, TOTP secret,
 * recovery code and API key the suite handles is registered, every response body is kept
 * (minus the fields that exist to show a secret once), and `assertNoLeaks` searches those
 * bodies and the whole audit table for any registered secret.
 */
export class LeakWatch {
  private readonly secrets = new Set<string>();
  private readonly bodies: { what: string; text: string }[] = [];

  constructor(private readonly http: TestAgent) {}

  /** Registers a secret and returns it, so it can be written inline. */
  secret<T extends string | undefined>(s: T): T {
    if (s && s.length >= 6) this.secrets.add(s);
    return s;
  }

  async call(method: Method, path: string, opts: CallOptions = {}): Promise<Response> {
    let req = this.http[method](path);
    if (opts.token) req = req.set('Authorization', `Bearer ${opts.token}`);
    if (opts.lang) req = req.set('Accept-Language', opts.lang);
    const res = await (opts.body ? req.send(opts.body) : req);
    const body = res.body && typeof res.body === 'object' ? { ...(res.body as Record<string, unknown>) } : res.body;
    for (const f of opts.shows ?? []) if (body && typeof body === 'object') delete (body as Record<string, unknown>)[f];
    this.bodies.push({ what: `${method.toUpperCase()} ${path} → ${res.status}`, text: JSON.stringify(body) ?? '' });
    return res;
  }

  get count(): { secrets: number; bodies: number } {
    return { secrets: this.secrets.size, bodies: this.bodies.length };
  }

  async assertNoLeaks(ds: DataSource): Promise<void> {
    const audit = await ds.query('SELECT * FROM audit_entry');
    assert.ok(audit.length > 0, 'the audit log is empty: nothing was checked');
    const auditText = JSON.stringify(audit);
    for (const s of this.secrets) {
      assert.ok(!auditText.includes(s), `an audit entry contains a secret (${s.slice(0, 3)}…)`);
      for (const b of this.bodies) assert.ok(!b.text.includes(s), `response ${b.what} contains a secret (${s.slice(0, 3)}…)`);
    }
  }
}
