import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDrivers } from '@tongfa/database';
import { Role } from '@tongfa/identity';
import { AuditEntry } from '@tongfa/audit';
import { LEXICON_REFRESH_MS, LexiconRegistry, LexiconStatus, LexiconVersion } from '@tongfa/compliance';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';

/**
 * The lexicon lifecycle through HTTP: the default lexicon at first start, import of a plain list
 * into a draft, publication, and the editor's live check picking the new version up; who may do
 * which; and a second process noticing a publication by itself.
 */
for (const driver of testDrivers()) {
  describe(`compliance (${driver})`, () => {
    let hub: TestHub;
    const token = new Map<string, string>();
    const auth = (who: string) => ({ Authorization: `Bearer ${token.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver);
      const world = await World.build(hub.app);
      await world.user('c.operator', Role.PlatformOperator, 'province');
      await world.user('c.security', Role.SecurityAdmin, 'province');
      await world.user('c.city.operator', Role.PlatformOperator, 'cityA');
      await world.user('c.editor', Role.Editor, 'countyA1');
      await world.user('c.reviewer', Role.Reviewer, 'countyA1');
      await world.user('c.supervisor', Role.Supervisor, 'province');
      for (const u of ['c.operator', 'c.security', 'c.city.operator', 'c.editor', 'c.reviewer', 'c.supervisor'])
        token.set(u, await login(hub.http, u));
    });
    after(() => hub.close());

    it('publishes the default lexicon as version 1 at first start, so a check works out of the box', async () => {
      const versions = await hub.http.get('/api/v1/lexicons').set(auth('c.operator'));
      assert.equal(versions.status, 200, JSON.stringify(versions.body));
      assert.equal(versions.body.total, 1);
      assert.equal(versions.body.items[0].number, 1);
      assert.equal(versions.body.items[0].status, 'published');
      const res = await hub.http.post('/api/v1/compliance/check').set(auth('c.editor')).send({ title: '内部资料', bodyHtml: '<p>无</p>' });
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, false);
      assert.equal(res.body.lexiconVersion, 1);
      assert.equal(res.body.blocking[0].rule, 'secrecy_marker');
    });

    it('imports a plain list into a draft, publishes it, and the live check uses it at once', async () => {
      const before = await hub.http
        .post('/api/v1/compliance/check')
        .set(auth('c.editor'))
        .send({ bodyHtml: '<p>这里有个<b>青</b>山*怪兽</p>' });
      assert.equal(before.body.ok, true, JSON.stringify(before.body));

      const imported = await hub.http
        .post('/api/v1/lexicons/import?kind=forbidden&note=test')
        .set(auth('c.operator'))
        .set('Content-Type', 'text/plain')
        .send('# 测试词表\n青山怪兽\n\n绿水妖精\t\twarn\r\n');
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      assert.equal(imported.body.status, 'draft');
      assert.equal(imported.body.number, 2);
      assert.equal(imported.body.imported, 2);

      // A draft changes nothing yet.
      const draftCheck = await hub.http
        .post('/api/v1/compliance/check')
        .set(auth('c.editor'))
        .send({ bodyHtml: '<p>这里有个<b>青</b>山*怪兽</p>' });
      assert.equal(draftCheck.body.ok, true);
      assert.equal(draftCheck.body.lexiconVersion, 1);

      const entries = await hub.http.get(`/api/v1/lexicons/${imported.body.id}/entries?kind=forbidden&q=怪兽`).set(auth('c.security'));
      assert.equal(entries.status, 200);
      assert.equal(entries.body.total, 1);
      assert.equal(entries.body.items[0].term, '青山怪兽');
      const all = await hub.http.get(`/api/v1/lexicons/${imported.body.id}/entries?pageSize=200`).set(auth('c.security'));
      assert.ok(all.body.total > 50, 'the draft carries the default entries forward');

      const published = await hub.http.post(`/api/v1/lexicons/${imported.body.id}/publish`).set(auth('c.security'));
      assert.equal(published.status, 200, JSON.stringify(published.body));
      assert.equal(published.body.status, 'published');

      const html = '<p>这里有个<b>青</b>山*怪兽</p>';
      const after = await hub.http.post('/api/v1/compliance/check').set(auth('c.reviewer')).send({ bodyHtml: html });
      assert.equal(after.body.lexiconVersion, 2);
      assert.equal(after.body.ok, false);
      const f = after.body.blocking[0];
      assert.equal(f.rule, 'forbidden_word');
      assert.equal(f.text, '青山*怪兽');
      assert.equal(html.slice(f.htmlStart, f.htmlEnd), '青</b>山*怪兽');
      const warned = await hub.http.post('/api/v1/compliance/check').set(auth('c.editor')).send({ title: '绿水 妖精' });
      assert.equal(warned.body.ok, true);
      assert.equal(warned.body.warnings[0].rule, 'forbidden_word');
      assert.equal(warned.body.warnings[0].severity, 'warn');

      const audit = await hub.ds.getRepository(AuditEntry).find({ where: { action: 'lexicon.publish' } });
      assert.equal(audit.length, 1);
      assert.equal(audit[0].targetId, imported.body.id);
    });

    it('refuses to change a published version and to publish a draft older than the published one', async () => {
      const v1 = (await hub.ds.getRepository(LexiconVersion).findOneByOrFail({ number: 1 })).id;
      const again = await hub.http.post(`/api/v1/lexicons/${v1}/publish`).set(auth('c.operator'));
      assert.equal(again.status, 409);
      const a = await hub.http
        .post('/api/v1/lexicons/import?kind=ad')
        .set(auth('c.operator'))
        .set('Content-Type', 'text/plain')
        .send('甲广告\n');
      const b = await hub.http
        .post('/api/v1/lexicons/import?kind=ad')
        .set(auth('c.operator'))
        .set('Content-Type', 'text/plain')
        .send('乙广告\n');
      assert.equal(b.body.number, a.body.number + 1);
      assert.equal((await hub.http.post(`/api/v1/lexicons/${b.body.id}/publish`).set(auth('c.operator'))).status, 200);
      const stale = await hub.http.post(`/api/v1/lexicons/${a.body.id}/publish`).set(auth('c.operator'));
      assert.equal(stale.status, 409);
      assert.match(stale.body.message, /早于已发布的版本/);
      const check = await hub.http.post('/api/v1/compliance/check').set(auth('c.editor')).send({ title: '甲广告和乙广告' });
      assert.deepEqual(
        check.body.warnings.map((w: { text: string }) => w.text),
        ['甲广告', '乙广告'],
      );
    });

    it('accepts a multipart file and rejects a list with bad lines, naming each line', async () => {
      const file = await hub.http
        .post('/api/v1/lexicons/import?kind=typo')
        .set(auth('c.operator'))
        .attach('file', Buffer.from('\uFEFF既然如些\t既然如此\n'), { filename: 'typos.txt', contentType: 'text/plain' });
      assert.equal(file.status, 201, JSON.stringify(file.body));
      const bad = await hub.http
        .post('/api/v1/lexicons/import?kind=typo')
        .set(auth('c.operator'))
        .set('Content-Type', 'text/plain')
        .send('只有词条没有更正\n好词\t好\tsevere\n');
      assert.equal(bad.status, 400);
      assert.deepEqual(
        bad.body.details.map((d: { field: string }) => d.field),
        ['line 1', 'line 2'],
      );
    });

    it('lets only root-level operators and security admins manage the lexicon, and editors and reviewers check', async () => {
      const list = (who: string) => hub.http.get('/api/v1/lexicons').set(auth(who));
      assert.equal((await list('c.city.operator')).status, 403);
      assert.equal((await list('c.editor')).status, 403);
      assert.equal((await list('c.supervisor')).status, 403);
      const imp = await hub.http
        .post('/api/v1/lexicons/import?kind=ad')
        .set(auth('c.editor'))
        .set('Content-Type', 'text/plain')
        .send('x\n');
      assert.equal(imp.status, 403);
      const draft = await hub.ds
        .getRepository(LexiconVersion)
        .findOne({ where: { status: LexiconStatus.Draft }, order: { number: 'DESC' } });
      assert.ok(draft);
      assert.equal((await hub.http.post(`/api/v1/lexicons/${draft.id}/publish`).set(auth('c.city.operator'))).status, 403);
      assert.equal((await hub.http.post('/api/v1/compliance/check').set(auth('c.operator')).send({ title: 'x' })).status, 403);
      assert.equal((await hub.http.post('/api/v1/compliance/check').set(auth('c.supervisor')).send({ title: 'x' })).status, 403);
      assert.equal((await hub.http.post('/api/v1/compliance/check').send({ title: 'x' })).status, 401);
    });

    it('blocks personal data until a reviewer marks the finding as intended', async () => {
      const body = { bodyHtml: '<p>联系电话：139-1234-5678</p>' };
      const first = await hub.http.post('/api/v1/compliance/check').set(auth('c.reviewer')).send(body);
      assert.equal(first.body.ok, false);
      const id = first.body.blocking[0].id;
      assert.equal(first.body.blocking[0].rule, 'mobile_number');
      const second = await hub.http
        .post('/api/v1/compliance/check')
        .set(auth('c.reviewer'))
        .send({ ...body, acknowledged: [id] });
      assert.equal(second.body.ok, true);
      assert.equal(second.body.warnings[0].id, id);
      assert.equal(second.body.warnings[0].acknowledged, true);
    });

    it('tells the editor the 送审 rule the submission applies: personal data goes to the reviewer, a secrecy marker stops it', async () => {
      const cases = [
        { title: '便民服务电话公布', bodyHtml: '<p>咨询电话：139-1234-5678</p>', allowed: true },
        { title: '内部资料 便民服务', bodyHtml: '<p>工作安排</p>', allowed: false },
      ];
      for (const c of cases) {
        const check = await hub.http.post('/api/v1/compliance/check').set(auth('c.editor')).send({ title: c.title, bodyHtml: c.bodyHtml });
        assert.equal(check.status, 200);
        assert.equal(check.body.submit.allowed, c.allowed, JSON.stringify(check.body.submit));
        assert.equal(check.body.submit.forReviewer.length, c.allowed ? 1 : 0);
        const created = await hub.http
          .post('/api/v1/manuscripts')
          .set(auth('c.editor'))
          .send({ title: c.title, summary: '', body: c.bodyHtml, category: 'news', source: { type: 'original' } });
        assert.equal(created.status, 201, created.text);
        const submitted = await hub.http.post(`/api/v1/manuscripts/${created.body.id}/submit`).set(auth('c.editor'));
        // The button and the API agree: what the check allows, the submission accepts, and only that.
        assert.equal(submitted.status === 200, c.allowed, `${c.title}: ${submitted.status} ${submitted.text}`);
        if (c.allowed) assert.ok(submitted.body.warnings.some((w: { category?: string }) => w.category === 'privacy'));
      }
    });

    it('counts the units above the writer as designated sources of a reprint, and no one else', async () => {
      const reprint = (unitName: string) =>
        hub.http
          .post('/api/v1/compliance/check')
          .set(auth('c.editor'))
          .send({ title: '转发：冬季安全生产通知', bodyHtml: '<p>转发上级通知。</p>', source: { type: 'reprint', unitName } });
      const fromCity = await reprint('甲市政府办公室');
      assert.equal(fromCity.status, 200);
      assert.deepEqual(
        fromCity.body.blocking.filter((f: { rule: string }) => f.rule === 'source_unit'),
        [],
        'the city above the county is a source',
      );
      const fromSibling = await reprint('甲市二县政府办公室');
      assert.ok(
        fromSibling.body.blocking.some((f: { rule: string }) => f.rule === 'source_unit'),
        'a sibling county is not',
      );
      // The submission applies the same: a reprint of the city's release goes to review.
      const created = await hub.http
        .post('/api/v1/manuscripts')
        .set(auth('c.editor'))
        .send({
          title: '转发：冬季安全生产通知',
          summary: '',
          body: '<p>转发上级通知。</p>',
          category: 'reprint',
          source: { type: 'reprint', unitName: '甲市政府办公室' },
        });
      assert.equal(created.status, 201, created.text);
      const submitted = await hub.http.post(`/api/v1/manuscripts/${created.body.id}/submit`).set(auth('c.editor'));
      assert.equal(submitted.status, 200, submitted.text);
    });

    it('lets another process notice a publication within the refresh interval, without recompiling in between', async () => {
      // A second registry on the same database stands for another hub or worker process.
      const other = new LexiconRegistry(hub.ds, hub.clock);
      const seen = await other.current();
      const imp = await hub.http
        .post('/api/v1/lexicons/import?kind=secrecy')
        .set(auth('c.operator'))
        .set('Content-Type', 'text/plain')
        .send('仅限内部\n');
      await hub.http.post(`/api/v1/lexicons/${imp.body.id}/publish`).set(auth('c.operator'));
      assert.equal(await other.current(), seen, 'trusted until the interval passes');
      hub.clock.advance(LEXICON_REFRESH_MS + 1);
      // The new version compiles in a worker thread; the old one keeps serving until it is ready.
      assert.equal(await other.current(), seen, 'the old version serves while the new one compiles');
      const fresh = await pollUntil(
        async () => {
          const l = await other.current();
          return l.version === imp.body.number ? l : null;
        },
        { what: 'the other process to use the new version' },
      );
      assert.equal(await other.current(), fresh);
    });
  });
}
