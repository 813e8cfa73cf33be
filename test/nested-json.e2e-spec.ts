import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

const arrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const objects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/**
 * A JSON body nested deeper than any request needs (10,000 arrays, 200 objects) is refused with a
 * 400 that says so in Chinese, before validation or logging recurse into it; the hub keeps serving.
 */
for (const driver of testDrivers()) {
  describe(`deeply nested JSON bodies (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let token = '';

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('nj.editor', Role.Editor, 'countyA1');
      token = await login(hub.http, 'nj.editor');
    });
    after(() => hub.close());

    const send = (path: string, body: string, auth = true) => {
      const req = hub.http.post(`/api/v1${path}`).set('Content-Type', 'application/json');
      if (auth) req.set('Authorization', `Bearer ${token}`);
      return req.send(body);
    };

    it('answers 400 in Chinese for 10,000 nested arrays and 200 nested objects, on any route', async () => {
      const title = JSON.stringify('嵌套测试');
      for (const [path, body, auth] of [
        ['/manuscripts', arrays(10_000), true],
        ['/manuscripts', `{"title":${title},"summary":"摘要","body":"<p>正文</p>","category":"news","source":${objects(200)}}`, true],
        ['/manuscripts', `{"title":${title},"extra":${arrays(5_000)}}`, true],
        // Before authentication too: the body is read before any guard runs.
        ['/auth/login', `{"username":"nj.editor","password":${objects(200)}}`, false],
        ['/units', arrays(10_000), false],
      ] as const) {
        const res = await send(path, body, auth);
        assert.equal(res.status, 400, `${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        assert.equal(res.body.code, 'JSON_TOO_DEEP');
        assert.match(res.body.message, /嵌套过深/);
        assert.equal(res.body.details[0].field, 'body');
      }
    });

    it('still takes bodies nested as deep as requests need', async () => {
      const res = await send(
        '/manuscripts',
        JSON.stringify({
          title: '嵌套深度正常的稿件',
          summary: '摘要',
          body: '<p>正文内容。</p>',
          category: 'news',
          source: { type: 'original' },
        }),
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      // 32 levels is the limit: anything up to it reaches validation (which names the unknown field).
      const atLimit = await send('/manuscripts', `{"title":"标题","deep":${objects(31)}}`);
      assert.equal(atLimit.status, 400);
      assert.equal(atLimit.body.code, 'VALIDATION_FAILED', JSON.stringify(atLimit.body).slice(0, 300));
      const over = await send('/manuscripts', `{"title":"标题","deep":${objects(32)}}`);
      assert.equal(over.body.code, 'JSON_TOO_DEEP');
    });
  });
}
