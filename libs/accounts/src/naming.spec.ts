import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareNames, namingIssues } from './naming';

describe('account name consistency', () => {
  it('treats width variants, spaces and ASCII case as the same name', () => {
    assert.equal(compareNames('青山发布', '青山发布'), 'same');
    assert.equal(compareNames('青山 发布', '青山发布'), 'same');
    assert.equal(compareNames('青山\u3000发布', '青山发布'), 'same');
    assert.equal(compareNames('ＱＳ发布２０２６', 'qs发布2026'), 'same');
  });

  it('flags Kangxi radicals and compatibility forms as look-alikes', () => {
    // U+2F2D KANGXI RADICAL MOUNTAIN looks like 山 and folds to it under NFKC.
    assert.equal(compareNames('青\u2F2D发布', '青山发布'), 'lookalike');
    assert.equal(compareNames('青山发布①', '青山发布1'), 'lookalike');
  });

  it('flags Cyrillic letters standing in for Latin ones', () => {
    assert.equal(compareNames('Qingshan Fabu', 'Qingshаn Fabu'), 'lookalike'); // Cyrillic а
  });

  it('flags invisible characters hidden in a name', () => {
    assert.equal(compareNames('青山\u200B发布', '青山发布'), 'lookalike');
    assert.equal(compareNames('青山\u202E发布', '青山发布'), 'lookalike');
  });

  it('reports genuinely different names as different', () => {
    assert.equal(compareNames('青山发布', '绿水发布'), 'different');
  });

  it('lists every issue of an account: name and verified subject', () => {
    assert.deepEqual(
      namingIssues({
        unitName: '青山市人民政府办公室',
        expectedName: '青山发布',
        accountName: '青山发布',
        verifiedSubject: '青山市人民政府办公室',
      }),
      [],
    );
    const issues = namingIssues({
      unitName: '青山市人民政府办公室',
      expectedName: '青山发布',
      accountName: '青山在线',
      verifiedSubject: '某某科技有限公司',
    });
    assert.equal(issues.length, 2);
    assert.match(issues[0]!, /不一致/);
    assert.match(issues[1]!, /不是主办单位/);
  });

  it('does not call an account inconsistent because its platform reports no verified subject', () => {
    const input = { unitName: '青山市人民政府办公室', expectedName: '青山发布', accountName: '青山发布', verifiedSubject: null };
    assert.deepEqual(namingIssues(input), []);
    assert.equal(namingIssues({ ...input, accountName: '青山在线' }).length, 1, 'the name is still checked');
  });
});
