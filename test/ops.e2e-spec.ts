import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testDrivers } from '@tongfa/database';
import { Role } from '@tongfa/identity';
import { JobQueue } from '@tongfa/jobs';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

const CONSOLE_ORIGIN = 'https://console.example.gov.cn';

/** The value of one Prometheus sample, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.indexOf('}'));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.slice(line.indexOf('}') + 1));
  }
  return undefined;
}

for (const driver of testDrivers()) {
  describe(`operations endpoints (${driver})`, () => {
    let hub: TestHub;
    let operator: string;
    let editor: string;

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_CORS_ORIGINS: `${CONSOLE_ORIGIN}, https://other.example.gov.cn` });
      const world = await World.build(hub.app);
      await world.user('ops.operator', Role.PlatformOperator, 'province');
      await world.user('ops.editor', Role.Editor, 'cityA');
      operator = await login(hub.http, 'ops.operator');
      editor = await login(hub.http, 'ops.editor');
    });
    after(() => hub.close());

    describe('health', () => {
      it('answers liveness without a token and without touching dependencies', async () => {
        const res = await hub.http.get('/health/live');
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { status: 'ok' });
      });

      it(`reports readiness of the database${driver === 'mysql' ? ' and Redis' : ' only (embedded: no Redis)'}`, async () => {
        const res = await hub.http.get('/health/ready');
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.status, 'ok');
        assert.equal(res.body.info.database.status, 'up');
        if (driver === 'mysql') assert.equal(res.body.info.redis.status, 'up');
        else assert.equal(res.body.info.redis, undefined);
      });

      it('is not under the API prefix', async () => {
        assert.equal((await hub.http.get('/api/v1/health/live')).status, 404);
      });
    });

    describe('metrics', () => {
      it('exposes a latency histogram per route pattern for a route just called', async () => {
        const auth = { Authorization: `Bearer ${operator}` };
        const units = await hub.http.get('/api/v1/units').set(auth);
        assert.equal(units.status, 200);
        // Ids are folded into the route pattern, so they never explode the label set.
        await hub.http.get(`/api/v1/units/${units.body.items[0].id}`).set(auth);
        const res = await hub.http.get('/metrics');
        assert.equal(res.status, 200);
        assert.match(res.headers['content-type'] ?? '', /^text\/plain/);
        const labels = { method: 'GET', route: '/api/v1/units', status: '200' };
        assert.ok((sample(res.text, 'tongfa_http_request_duration_seconds_count', labels) ?? 0) >= 1, 'histogram count');
        assert.ok(sample(res.text, 'tongfa_http_request_duration_seconds_bucket', { ...labels, le: '+Inf' }) !== undefined, 'buckets');
        assert.ok(sample(res.text, 'tongfa_http_request_duration_seconds_count', { route: '/api/v1/units/:id' }) !== undefined);
        assert.ok(!res.text.includes(units.body.items[0].id), 'no raw id in a label');
      });

      it('reports the depth of every queue, counting a job that waits', async () => {
        const before = await hub.http.get('/metrics');
        const depth0 = sample(before.text, 'tongfa_queue_depth', { queue: 'maintenance' });
        assert.equal(typeof depth0, 'number', 'tongfa_queue_depth{queue="maintenance"} exists');
        await hub.app.get(JobQueue).add('system.ping', { marker: randomUUID() }, { delayMs: 3600_000 });
        const after = await hub.http.get('/metrics');
        assert.equal(sample(after.text, 'tongfa_queue_depth', { queue: 'maintenance' }), depth0! + 1);
      });

      it('needs no token (scraped from inside the network) and is not in the OpenAPI document', async () => {
        const doc = await hub.http.get('/api/docs-json');
        assert.equal(doc.body.paths['/metrics'], undefined);
      });
    });

    describe(`queue board (${driver === 'mysql' ? 'Bull Board' : 'embedded stand-in'})`, () => {
      it('refuses an anonymous caller with 401', async () => {
        const res = await hub.http.get('/admin/queues');
        assert.equal(res.status, 401);
        assert.equal(res.body.statusCode, 401);
        assert.equal(typeof res.body.requestId, 'string');
      });

      it('refuses a forged token with 401', async () => {
        assert.equal((await hub.http.get('/admin/queues').set('Authorization', 'Bearer not.a.jwt')).status, 401);
      });

      it('refuses an editor with 403', async () => {
        const res = await hub.http.get('/admin/queues').set('Authorization', `Bearer ${editor}`);
        assert.equal(res.status, 403);
        assert.equal(res.body.statusCode, 403);
      });

      it('serves a platform operator, by header or by the console cookie', async () => {
        const res = await hub.http.get('/admin/queues').set('Authorization', `Bearer ${operator}`);
        assert.equal(res.status, 200);
        if (driver === 'mysql') {
          assert.match(res.headers['content-type'] ?? '', /text\/html/);
          const api = await hub.http.get('/admin/queues/api/queues').set('Cookie', `tf_access=${operator}`);
          assert.equal(api.status, 200);
          assert.ok(api.body.queues.some((q: { name: string }) => q.name === 'maintenance'));
        } else {
          assert.equal(res.body.mode, 'embedded');
          assert.equal(typeof res.body.depth.maintenance, 'number');
          const byCookie = await hub.http.get('/admin/queues').set('Cookie', `tf_access=${operator}`);
          assert.equal(byCookie.status, 200);
        }
      });

      it('guards the board’s own API and assets too', async () => {
        assert.equal((await hub.http.get('/admin/queues/api/queues')).status, 401);
        assert.equal((await hub.http.get('/admin/queues/api/queues').set('Authorization', `Bearer ${editor}`)).status, 403);
      });
    });

    describe('security headers and CORS', () => {
      it('sends helmet’s headers and hides the framework', async () => {
        for (const path of ['/health/live', '/api/v1/units', '/api/v1/nowhere']) {
          const res = await hub.http.get(path);
          assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
          assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', path);
          assert.match(res.headers['strict-transport-security'] ?? '', /max-age=\d+/, path);
          assert.match(res.headers['content-security-policy'] ?? '', /default-src 'self'/, path);
          assert.match(res.headers['content-security-policy'] ?? '', /object-src 'none'/, path);
          assert.equal(res.headers['referrer-policy'], 'no-referrer', path);
          assert.equal(res.headers['x-powered-by'], undefined, path);
          assert.ok(res.headers['x-request-id'], path);
        }
      });

      it('allows a preflight from an origin of TONGFA_CORS_ORIGINS, with credentials', async () => {
        const res = await hub.http
          .options('/api/v1/units')
          .set('Origin', CONSOLE_ORIGIN)
          .set('Access-Control-Request-Method', 'POST')
          .set('Access-Control-Request-Headers', 'authorization,content-type');
        assert.ok(res.status === 204 || res.status === 200, String(res.status));
        assert.equal(res.headers['access-control-allow-origin'], CONSOLE_ORIGIN);
        assert.equal(res.headers['access-control-allow-credentials'], 'true');
        assert.match(res.headers['access-control-allow-methods'] ?? '', /POST/);
        const second = await hub.http.get('/health/live').set('Origin', 'https://other.example.gov.cn');
        assert.equal(second.headers['access-control-allow-origin'], 'https://other.example.gov.cn');
      });

      it('gives no CORS grant to an origin outside the list', async () => {
        const pre = await hub.http
          .options('/api/v1/units')
          .set('Origin', 'https://evil.example.com')
          .set('Access-Control-Request-Method', 'POST');
        assert.equal(pre.headers['access-control-allow-origin'], undefined);
        const get = await hub.http.get('/health/live').set('Origin', 'https://evil.example.com');
        assert.equal(get.headers['access-control-allow-origin'], undefined);
      });
    });
  });
}

describe('CORS without TONGFA_CORS_ORIGINS', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub(testDrivers().includes('sqlite') ? 'sqlite' : testDrivers()[0]!);
  });
  after(() => hub.close());

  it('grants no other origin: the console is served from the same origin', async () => {
    const res = await hub.http.options('/api/v1/units').set('Origin', CONSOLE_ORIGIN).set('Access-Control-Request-Method', 'GET');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});
