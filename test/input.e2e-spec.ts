import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { testDrivers } from '@tongfa/database';
import { makeCreditCode, Role } from '@tongfa/identity';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { fieldLabel } from '../apps/hub/src/common/error-text';

/**
 * Hostile and careless input: every malformed request gets a 4xx that names the offending field,
 * never a 500, and leaves what is stored exactly as it was.
 */

/** Asserts the error shape of the contract and that `field` is named in `message` and `details`. */
function assertRejected(res: Response, field: string, status = 400): void {
  assert.equal(res.status, status, `expected ${status} for ${field}, got ${res.status}: ${JSON.stringify(res.body)}`);
  const b = res.body as { statusCode: number; error: string; message: string; details: { field?: string }[]; requestId?: string };
  assert.equal(b.statusCode, status);
  assert.equal(typeof b.error, 'string');
  assert.ok(Array.isArray(b.details), 'details is a list');
  assert.ok(
    b.details.some((d) => d.field === field),
    `details name ${field}: ${JSON.stringify(b.details)}`,
  );
  // Named as a person knows it (统一社会信用代码, 发布账号第 6 项), the request body as 请求体.
  const named = field === 'body' ? '请求体' : fieldLabel(field, 'zh');
  assert.ok(b.message.includes(named), `message names ${field} as ${named}: ${b.message}`);
  assert.doesNotMatch(b.message, / \/ [A-Za-z]/, `no English half in the Chinese message: ${b.message}`);
  assert.doesNotMatch(b.message, /\[\d+\]/, `no index path in the message: ${b.message}`);
  assert.equal(typeof b.requestId, 'string');
}

const NASTY = [
  `甲'; DROP TABLE unit; --`,
  `" OR "1"="1`,
  `\\'; SELECT SLEEP(5); -- \\`,
  '100%_达标`反引号`',
  'Robert"); DELETE FROM user;--',
];

let serial = 0;
const code = () => makeCreditCode('980121', 40_000_000 + ++serial + Math.floor(Math.random() * 1e5) * 100);

for (const driver of testDrivers()) {
  describe(`bad input (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let op: Record<string, string>;
    let editorId: string;

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_BODY_LIMIT: '16kb' });
      world = await World.build(hub.app);
      await world.user('in.operator', Role.PlatformOperator, 'province');
      editorId = (await world.user('in.editor', Role.Editor, 'countyA1')).id;
      op = { Authorization: `Bearer ${await login(hub.http, 'in.operator')}` };
    });
    after(() => hub.close());

    const unitBody = (over: Record<string, unknown> = {}) => ({
      name: '输入测试部门',
      level: 'department',
      parentId: world.units.countyA1.id,
      creditCode: code(),
      regionCode: '980121',
      ...over,
    });
    const countUnits = async () => (await hub.http.get('/api/v1/units?pageSize=1').set(op)).body.total as number;

    describe('malformed and oversized bodies', () => {
      it('answers malformed JSON with 400 naming the body', async () => {
        const res = await hub.http.post('/api/v1/units').set(op).set('Content-Type', 'application/json').send('{"name": "甲", ');
        assertRejected(res, 'body');
        assert.equal(res.body.code, 'MALFORMED_JSON');
      });

      it('answers a JSON scalar or array body with 400, not 500', async () => {
        for (const raw of ['"just a string"', '42', 'null', '[]', '[{"name":"甲"}]']) {
          const res = await hub.http.post('/api/v1/units').set(op).set('Content-Type', 'application/json').send(raw);
          assert.equal(res.status, 400, `${raw}: ${res.status} ${JSON.stringify(res.body)}`);
          assert.ok(res.body.details.length > 0, raw);
          assert.ok(
            res.body.details.every((d: { field?: string }) => typeof d.field === 'string' && d.field.length > 0),
            raw,
          );
        }
      });

      it('answers a body above TONGFA_BODY_LIMIT with 413 naming the body', async () => {
        const before = await countUnits();
        const res = await hub.http
          .post('/api/v1/units')
          .set(op)
          .send(unitBody({ name: '长'.repeat(20_000) }));
        assertRejected(res, 'body', 413);
        assert.equal(res.body.code, 'BODY_TOO_LARGE');
        assert.equal(await countUnits(), before);
      });

      it('answers an unsupported body charset with 415 naming the body', async () => {
        const res = await hub.http
          .post('/api/v1/units')
          .set(op)
          .set('Content-Type', 'application/json; charset=klingon')
          .send(JSON.stringify(unitBody()));
        assertRejected(res, 'body', 415);
      });

      it('refuses a body sent as plain text, naming the missing fields', async () => {
        const res = await hub.http.post('/api/v1/units').set(op).set('Content-Type', 'text/plain').send('name=甲');
        assertRejected(res, 'name');
      });
    });

    describe('fields of the wrong type, length or value', () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['a number for a string', { name: 12345 }, 'name'],
        ['an array for a string', { name: ['甲', '乙'] }, 'name'],
        ['an object for a string', { name: { $ne: null } }, 'name'],
        ['null for a required string', { name: null }, 'name'],
        ['a number for an enum', { level: 3 }, 'level'],
        ['an unknown enum value', { level: 'galaxy' }, 'level'],
        ['an invalid uuid', { parentId: "1' OR '1'='1" }, 'parentId'],
        ['an overlong name', { name: '长'.repeat(101) }, 'name'],
        ['a too-short name', { name: '甲' }, 'name'],
        ['a malformed credit code', { creditCode: "'; DROP TABLE--" }, 'creditCode'],
        ['a credit code whose check digit is wrong', { creditCode: '11980121400000010X' }, 'creditCode'],
        ['a region code of letters', { regionCode: 'abcdef' }, 'regionCode'],
        ['an unknown field', { isAdmin: true }, 'isAdmin'],
      ];
      for (const [what, over, field] of cases) {
        it(`refuses a unit with ${what}, naming ${field}`, async () => {
          const before = await countUnits();
          const res = await hub.http.post('/api/v1/units').set(op).send(unitBody(over));
          assertRejected(res, field);
          assert.equal(await countUnits(), before, 'nothing was created');
        });
      }

      it('names every missing required field of an empty body', async () => {
        const res = await hub.http.post('/api/v1/units').set(op).send({});
        for (const f of ['name', 'level', 'parentId', 'creditCode', 'regionCode']) assertRejected(res, f);
      });

      it('names the nested field of a bad role grant', async () => {
        const body = (roles: unknown) => ({
          username: `nested.${++serial}`,
          displayName: '嵌套',
          unitId: world.units.countyA1.id,
          password: 'Temp#Pass2026x',
          roles,
        });
        assertRejected(
          await hub.http
            .post('/api/v1/users')
            .set(op)
            .send(body([{ role: 'emperor', unitId: world.units.countyA1.id }])),
          'roles.0.role',
        );
        assertRejected(
          await hub.http
            .post('/api/v1/users')
            .set(op)
            .send(body([{ role: 'reviewer', unitId: world.units.countyA1.id, level: '2' }])),
          'roles.0.level',
        );
        assertRejected(await hub.http.post('/api/v1/users').set(op).send(body('editor')), 'roles');
        assertRejected(
          await hub.http
            .post('/api/v1/users')
            .set(op)
            .send(body([42])),
          'roles.0',
        );
        assertRejected(
          await hub.http
            .post('/api/v1/users')
            .set(op)
            .send(body([{ role: 'editor', unitId: world.units.countyA1.id, sneaky: 1 }])),
          'roles.0.sneaky',
        );
      });

      it('refuses login credentials that are not strings, before any lookup', async () => {
        assertRejected(await hub.http.post('/api/v1/auth/login').send({ username: { $gt: '' }, password: 'x' }), 'username');
        assertRejected(await hub.http.post('/api/v1/auth/login').send({ username: 'in.operator', password: ['a'] }), 'password');
        assertRejected(await hub.http.post('/api/v1/auth/login').send({ username: 'u'.repeat(65), password: 'x' }), 'username');
      });
    });

    describe('SQL metacharacters', () => {
      for (const [i, name] of NASTY.entries()) {
        it(`stores and reads back verbatim: ${name}`, async () => {
          const created = await hub.http.post('/api/v1/units').set(op).send(unitBody({ name }));
          assert.equal(created.status, 201, JSON.stringify(created.body));
          assert.equal(created.body.name, name);
          const read = await hub.http.get(`/api/v1/units/${created.body.id}`).set(op);
          assert.equal(read.status, 200);
          assert.equal(read.body.name, name);
          const user = await hub.http
            .post('/api/v1/users')
            .set(op)
            .send({ username: `sql.${i}.${++serial}`, displayName: name, unitId: created.body.id, password: 'Temp#Pass2026x' });
          assert.equal(user.status, 201, JSON.stringify(user.body));
          assert.equal((await hub.http.get(`/api/v1/users/${user.body.id}`).set(op)).body.displayName, name);
        });
      }

      it('treats metacharacters in a search as literal text', async () => {
        const total = await countUnits();
        assert.ok(total > NASTY.length);
        for (const q of ["' OR '1'='1", '" OR 1=1 --', "'; DROP TABLE unit; --", '%', '_', '\\']) {
          const res = await hub.http.get('/api/v1/units').query({ q, pageSize: 200 }).set(op);
          assert.equal(res.status, 200, `${q}: ${JSON.stringify(res.body)}`);
          for (const u of res.body.items) assert.ok(u.name.includes(q), `search ${q} matched ${u.name}`);
          assert.ok(res.body.total < total, `search ${q} matched everything`);
        }
        const hit = await hub.http.get('/api/v1/units').query({ q: 'DROP TABLE unit' }).set(op);
        assert.equal(hit.body.total, 1);
        assert.equal(hit.body.items[0].name, NASTY[0]);
        const pct = await hub.http.get('/api/v1/units').query({ q: '100%_' }).set(op);
        assert.deepEqual(
          pct.body.items.map((u: { name: string }) => u.name),
          [NASTY[3]],
        );
        const users = await hub.http.get('/api/v1/users').query({ q: "' OR 1=1 --" }).set(op);
        assert.equal(users.status, 200);
        assert.equal(users.body.total, 0);
        const usersPct = await hub.http.get('/api/v1/users').query({ q: '%', pageSize: 200 }).set(op);
        for (const u of usersPct.body.items) assert.ok(u.displayName.includes('%') || u.username.includes('%'));
        assert.equal(usersPct.body.total, 1);
      });

      it('refuses metacharacters where an id is expected', async () => {
        assertRejected(await hub.http.get('/api/v1/units').query({ parentId: "x' OR 1=1 --" }).set(op), 'parentId');
        assertRejected(await hub.http.get(`/api/v1/units/${encodeURIComponent("1' OR '1'='1")}`).set(op), 'id');
      });
    });

    describe('path and query parameters', () => {
      for (const [method, path] of [
        ['get', '/api/v1/units/not-a-uuid'],
        ['get', '/api/v1/units/12345/tree'],
        ['patch', '/api/v1/units/abc'],
        ['get', '/api/v1/users/00000000-0000-0000-0000-00000000000g'],
        ['patch', '/api/v1/users/zzz'],
        ['post', '/api/v1/users/zzz/roles'],
      ] as const) {
        it(`refuses an invalid id in ${method.toUpperCase()} ${path}`, async () => {
          const req = hub.http[method](path).set(op);
          const res = method === 'get' ? await req : await req.send(path.endsWith('/roles') ? { roles: [] } : {});
          assertRejected(res, 'id');
        });
      }

      it('refuses a path parameter with broken percent-encoding', async () => {
        assertRejected(await hub.http.get('/api/v1/units/%FF').set(op), 'path');
      });

      it('answers a well-formed id of nothing with 404, not 400', async () => {
        const res = await hub.http.get('/api/v1/units/01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d').set(op);
        assert.equal(res.status, 404);
      });

      for (const [query, field] of [
        ['page=0', 'page'],
        ['page=-1', 'page'],
        ['page=abc', 'page'],
        ['page=1.5', 'page'],
        ['page=99999999999', 'page'],
        ['page=1&page=2', 'page'],
        ['pageSize=0', 'pageSize'],
        ['pageSize=201', 'pageSize'],
        ['pageSize=1e9', 'pageSize'],
        ['pageSize=', 'pageSize'],
        ['role=king', 'role'],
        ['status=deleted', 'status'],
        ['unitId=nope', 'unitId'],
        [`q=${'长'.repeat(51)}`, 'q'],
        ['q=a&q=b', 'q'],
        ['orderBy=password', 'orderBy'],
      ] as const) {
        it(`refuses ?${query.slice(0, 40)} on the user list, naming ${field}`, async () => {
          assertRejected(await hub.http.get(`/api/v1/users?${query}`).set(op), field);
        });
      }

      it('answers a page past the end with an empty list and the real total', async () => {
        const res = await hub.http.get('/api/v1/users?page=100000&pageSize=200').set(op);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.items, []);
        assert.ok(res.body.total >= 2);
      });

      it('refuses bad audit filters, naming them', async () => {
        assertRejected(await hub.http.get('/api/v1/audit?from=yesterday').set(op), 'from');
        assertRejected(await hub.http.get('/api/v1/audit?actorId=1%20OR%201').set(op), 'actorId');
      });
    });

    describe('a failed change leaves the record as it was', () => {
      it('keeps a unit unchanged when one field of a PATCH is invalid', async () => {
        const target = world.units.deptA;
        const before = (await hub.http.get(`/api/v1/units/${target.id}`).set(op)).body;
        const attempts: [Record<string, unknown>, string, number][] = [
          [{ name: '改名甲', creditCode: '11980121400000010X' }, 'creditCode', 400],
          [{ name: '改名乙', regionCode: '012345' }, 'regionCode', 400],
          [{ name: '改名丙', level: 'city' }, 'level', 400],
          [{ name: '改名丁', parentId: 'not-a-uuid' }, 'parentId', 400],
          [{ name: 123 }, 'name', 400],
        ];
        for (const [body, field, status] of attempts) {
          assertRejected(await hub.http.patch(`/api/v1/units/${target.id}`).set(op).send(body), field, status);
        }
        // A move into its own subtree fails inside the transaction, after the rename was applied.
        const child = await hub.http
          .post('/api/v1/units')
          .set(op)
          .send(unitBody({ parentId: target.id }));
        assert.equal(child.status, 201);
        const move = await hub.http.patch(`/api/v1/units/${target.id}`).set(op).send({ name: '改名戊', parentId: child.body.id });
        assert.ok(move.status >= 400 && move.status < 500, String(move.status));
        const afterRead = (await hub.http.get(`/api/v1/units/${target.id}`).set(op)).body;
        assert.deepEqual(afterRead, before);
      });

      it('keeps a user unchanged when the new password is too weak', async () => {
        const before = (await hub.http.get(`/api/v1/users/${editorId}`).set(op)).body;
        assertRejected(
          await hub.http.patch(`/api/v1/users/${editorId}`).set(op).send({ displayName: '新名字', password: 'weak' }),
          'password',
        );
        assertRejected(
          await hub.http.patch(`/api/v1/users/${editorId}`).set(op).send({ displayName: '新名字', status: 'godmode' }),
          'status',
        );
        assertRejected(await hub.http.patch(`/api/v1/users/${editorId}`).set(op).send({ displayName: '', unlock: 'yes' }), 'unlock');
        assert.deepEqual((await hub.http.get(`/api/v1/users/${editorId}`).set(op)).body, before);
        // The old password still works: the weak one was never stored.
        await login(hub.http, 'in.editor');
      });
    });
  });
}
