import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { startTestHub, TestHub } from './support/test-hub';
import { World } from './support/world';
import { ensureConsoleBuilt } from './support/browser';

/** What the web console needs from the hub beyond the core API: its files and SSO discovery. */
describe('console support in the hub (sqlite)', () => {
  let hub: TestHub;
  let world: World;

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    await world.user('ca.editor', Role.Editor, 'countyA1');
  });
  after(() => hub.close());

  it('serves the console at / and its routes, never over the API, health or metrics', async () => {
    const root = await hub.http.get('/');
    assert.equal(root.status, 200);
    assert.match(root.headers['content-type'], /text\/html/);
    assert.match(root.text, /<div id="root">/);
    assert.equal(root.headers['cache-control'], 'no-cache');
    assert.match(root.headers['content-security-policy'], /script-src 'self'/);
    const deep = await hub.http.get('/manuscripts/0193f0e6-0000-7000-8000-000000000000/edit');
    assert.equal(deep.status, 200);
    assert.match(deep.text, /<div id="root">/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(root.text)![1];
    const js = await hub.http.get(asset);
    assert.equal(js.status, 200);
    assert.match(js.headers['cache-control'], /immutable/);
    assert.equal((await hub.http.get('/assets/missing.js')).status, 404);
    const api = await hub.http.get('/api/v1/no-such-route');
    assert.equal(api.status, 404);
    assert.match(api.headers['content-type'], /json/);
    assert.equal((await hub.http.get('/health/live')).status, 200);
    assert.equal((await hub.http.post('/manuscripts')).status, 404);
  });

  it('tells the sign-in page whether single sign-on is configured, without a session', async () => {
    const res = await hub.http.get('/api/v1/auth/oidc/config');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { enabled: false });
  });
});
