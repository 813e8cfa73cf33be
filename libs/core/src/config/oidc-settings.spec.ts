import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnv } from './env.schema';

const rp = {
  TONGFA_OIDC_ISSUER: 'https://idp.example.gov.cn',
  TONGFA_OIDC_CLIENT_ID: 'tongfa',
  TONGFA_OIDC_REDIRECT_URI: 'https://tongfa.example.gov.cn/api/v1/auth/oidc/callback',
};
const mapping = (m: unknown) => JSON.stringify(m);
const valid = { unit: { claim: 'org' }, roles: { claim: 'groups', map: { e: 'editor' } } };

function problem(env: Record<string, string>): string {
  try {
    parseEnv(env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('OIDC settings in the environment', () => {
  it('parses the mapping and the provider clients, applying defaults', () => {
    const env = parseEnv({
      ...rp,
      TONGFA_OIDC_MAPPING: mapping(valid),
      TONGFA_OIDC_PROVIDER_CLIENTS: JSON.stringify([
        { client_id: 'app', client_secret: '0123456789abcdef', redirect_uris: ['https://a.example/cb'] },
      ]),
    });
    assert.equal(env.TONGFA_OIDC_MAPPING?.unit.match, 'creditCode');
    assert.deepEqual(env.TONGFA_OIDC_MAPPING?.roles.map.e, [{ role: 'editor' }]);
    assert.equal(env.TONGFA_OIDC_PROVIDER_CLIENTS?.[0]?.first_party, true);
  });

  it('stops on mapping JSON that does not parse, in one line naming the variable', () => {
    const msg = problem({ ...rp, TONGFA_OIDC_MAPPING: '{unit:' });
    assert.equal(msg.split('\n').length, 1);
    assert.match(msg, /TONGFA_OIDC_MAPPING: must be JSON/);
  });

  it('refuses mapping to a 三员 role and a reviewer without level, saying which entries', () => {
    const msg = problem({
      ...rp,
      TONGFA_OIDC_MAPPING: mapping({ ...valid, roles: { claim: 'g', map: { a: 'platform_operator', b: 'reviewer' } } }),
    });
    assert.equal(msg.split('\n').length, 1);
    assert.match(msg, /roles\.map\.a\.0\.role: must be one of supervisor/);
    assert.match(msg, /roles\.map\.b\.0: a reviewer needs a level/);
  });

  it('requires the whole relying-party configuration once an issuer is set', () => {
    const msg = problem({ TONGFA_OIDC_ISSUER: 'https://idp.example.gov.cn' });
    assert.match(msg, /TONGFA_OIDC_CLIENT_ID: required when TONGFA_OIDC_ISSUER is set/);
    assert.match(msg, /TONGFA_OIDC_MAPPING: required/);
  });

  it('refuses provider clients with a short secret or a duplicate id', () => {
    const c = { client_id: 'app', client_secret: 'short', redirect_uris: ['https://a.example/cb'] };
    assert.match(problem({ TONGFA_OIDC_PROVIDER_CLIENTS: JSON.stringify([c]) }), /client_secret must be at least 16/);
    const ok = { ...c, client_secret: '0123456789abcdef' };
    assert.match(problem({ TONGFA_OIDC_PROVIDER_CLIENTS: JSON.stringify([ok, ok]) }), /appears twice/);
  });
});
