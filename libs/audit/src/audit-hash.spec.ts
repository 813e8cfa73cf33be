import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entryHash, GENESIS_HASH, redactSummary } from './audit.service';
import { AuditEntry } from './entities';

const base: Omit<AuditEntry, 'hash'> = {
  seq: 1,
  at: new Date('2026-11-23T08:00:00.000Z'),
  actorId: 'a',
  actorName: 'editor',
  unitId: 'u',
  unitPath: '/p/',
  action: 'unit.update',
  targetType: 'unit',
  targetId: 'u',
  result: 'success',
  before: { name: '旧', nested: { b: 1, a: 2 } },
  after: { name: '新' },
  ip: '127.0.0.1',
  requestId: 'r',
  prevHash: GENESIS_HASH,
};

describe('audit entry hash', () => {
  it('is stable under key order of the summaries', () => {
    const reordered = { ...base, before: { nested: { a: 2, b: 1 }, name: '旧' } };
    assert.equal(entryHash(base), entryHash(reordered));
  });

  it('changes when any field or the previous hash changes', () => {
    const h = entryHash(base);
    for (const change of [
      { actorName: 'x' },
      { result: 'failure' as const },
      { after: { name: '改' } },
      { prevHash: 'f'.repeat(64) },
      { at: new Date(0) },
    ]) {
      assert.notEqual(entryHash({ ...base, ...change }), h, JSON.stringify(change));
    }
  });

  it('redacts secret-looking fields from summaries', () => {
    const r = redactSummary({ password: 'p', nested: { refreshToken: 't', name: 'n' }, list: [{ appSecret: 's' }] }) as Record<
      string,
      unknown
    >;
    assert.equal(JSON.stringify(r).includes('"p"'), false);
    assert.deepEqual(r, { password: '[redacted]', nested: { refreshToken: '[redacted]', name: 'n' }, list: [{ appSecret: '[redacted]' }] });
  });
});
