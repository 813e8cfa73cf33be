import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maskLoggedRequest } from './log-output';

describe('request log masking', () => {
  it('masks a mobile number in the URL and the query of a Q&A search before the line is written', () => {
    const req = maskLoggedRequest({
      url: '/api/v1/qa/search?q=%E7%A4%BE%E4%BF%9D%E5%8D%A1%E4%B8%A2%E4%BA%86+13800138000',
      query: { q: '社保卡丢了 13800138000', unitId: 'x' },
    });
    assert.ok(!req.url.includes('13800138000'), req.url);
    assert.match(req.url, /\[手机号\]/);
    assert.equal((req.query as Record<string, string>).q, '社保卡丢了 [手机号]');
  });

  it('leaves URLs without personal numbers as they are', () => {
    const url = '/api/v1/manuscripts/01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d?page=2';
    assert.equal(maskLoggedRequest({ url }).url, url);
  });
});
