import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACTION_LABELS, actionLabel, actionsMatching } from './audit-labels';

// The compiled spec runs from dist/apps/hub/src/audit: the sources are five levels up.
const ROOT = resolve(__dirname, '../../../../..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.spec.ts')) out.push(p);
  }
  return out;
}

describe('audit action labels', () => {
  it('gives every action the code records a label an auditor can read', () => {
    const recorded = new Set<string>();
    for (const f of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps/hub/src')), ...sources(join(ROOT, 'apps/worker/src'))]) {
      // `action: 'a.action'` is a sort column of the audit query, not a recorded action.
      for (const m of readFileSync(f, 'utf8').matchAll(/\baction: '((?!a\.)[a-z_]+(?:\.[a-z_]+)+)'/g)) recorded.add(m[1]!);
    }
    assert.ok(recorded.size > 40, `found ${recorded.size} actions`);
    const missing = [...recorded].filter((a) => !ACTION_LABELS[a]).sort();
    assert.deepEqual(missing, [], 'add these to ACTION_LABELS');
  });

  it('reads a bare request as its verb and route, and finds actions by Chinese words', () => {
    assert.deepEqual(actionLabel('http.post', '/api/v1/manuscripts/:id/check'), {
      zh: '接口请求：提交 /api/v1/manuscripts/:id/check',
      en: 'Request: POST /api/v1/manuscripts/:id/check',
    });
    assert.ok(actionsMatching('审核').includes('review.approve'));
    assert.ok(actionsMatching('联动').includes('campaign.create'));
    assert.deepEqual(actionsMatching('  '), []);
  });
});
