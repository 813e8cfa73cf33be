import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { oidcMappingSchema } from '@tongfa/core';
import { Role } from '../roles';
import { claimAt, mapClaims } from './claim-mapping';

const mapping = oidcMappingSchema.parse({
  unit: { claim: 'org.credit_code' },
  roles: { claim: 'groups', map: { editors: 'editor', review: [{ role: 'reviewer', level: 1 }], chief: { role: 'reviewer', level: 3 } } },
  username: { claim: 'preferred_username', prefix: 'sso.' },
});

describe('OIDC claim mapping', () => {
  it('reads dotted claim paths into nested claims, and a literal dotted name first', () => {
    assert.equal(claimAt({ org: { credit_code: 'A' } }, 'org.credit_code'), 'A');
    assert.equal(claimAt({ 'org.credit_code': 'B', org: { credit_code: 'A' } }, 'org.credit_code'), 'B');
    assert.equal(claimAt({ org: 'flat' }, 'org.credit_code'), undefined);
  });

  it('maps the unit claim, upper-casing a credit code', () => {
    const m = mapClaims(mapping, { org: { credit_code: ' 91440101mA5abcde1x ' }, groups: ['editors'] }, 's1');
    assert.deepEqual(m.unit, { match: 'creditCode', value: '91440101MA5ABCDE1X' });
  });

  it('maps role values from an array or a space-separated string, ignoring unknown ones and keeping the highest reviewer level', () => {
    const a = mapClaims(mapping, { groups: ['editors', 'review', 'chief', 'nobody'] }, 's1');
    assert.deepEqual(a.roles, [
      { role: Role.Editor, level: null },
      { role: Role.Reviewer, level: 3 },
    ]);
    const b = mapClaims(mapping, { groups: 'editors other' }, 's1');
    assert.deepEqual(b.roles, [{ role: Role.Editor, level: null }]);
  });

  it('ignores group values and claim paths that name Object.prototype members', () => {
    const m = mapClaims(mapping, { groups: ['constructor', 'toString', '__proto__', 'editors'] }, 's1');
    assert.deepEqual(m.roles, [{ role: Role.Editor, level: null }]);
    assert.equal(claimAt({}, 'constructor'), undefined);
    assert.equal(claimAt({ org: {} }, 'org.constructor'), undefined);
  });

  it('yields no unit and no roles when the claims are missing', () => {
    const m = mapClaims(mapping, {}, 's1');
    assert.equal(m.unit, null);
    assert.deepEqual(m.roles, []);
  });

  it('builds a safe prefixed username, falling back to one derived from the subject', () => {
    assert.equal(mapClaims(mapping, { preferred_username: 'zhang.san' }, 's1').username, 'sso.zhang.san');
    const odd = mapClaims(mapping, { preferred_username: '张三' }, 'subject-1').username;
    assert.match(odd, /^sso\.sso-[0-9a-f]{12}$/);
    assert.equal(odd, mapClaims(mapping, {}, 'subject-1').username, 'stable for one subject');
  });
});
