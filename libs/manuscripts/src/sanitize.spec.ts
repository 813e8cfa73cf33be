import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeBody } from './sanitize';

describe('body sanitizing', () => {
  it('removes scripts, event handlers, javascript: links and styles', () => {
    const out = sanitizeBody(
      '<p onclick="steal()" style="color:red">通知<script>alert(1)</script></p><a href="javascript:alert(1)">x</a><img src="x" onerror="y"><style>p{}</style>',
    );
    assert.ok(!/script|onclick|onerror|javascript:|style/i.test(out), out);
    assert.match(out, /<p>通知<\/p>/);
  });

  it('drops iframes from hosts not allowed, keeps allowed ones', () => {
    const html = '<iframe src="https://evil.example/x"></iframe><iframe src="https://v.gov.example/embed/1"></iframe>';
    const out = sanitizeBody(html, { iframeHosts: ['v.gov.example'] });
    assert.ok(!out.includes('evil.example'));
    assert.match(out, /v\.gov\.example/);
  });

  it('keeps paragraphs, lists, tables and images with alt text', () => {
    const html =
      '<h2>一、总体要求</h2><ul><li>第一条</li></ul><table><tr><td colspan="2">表</td></tr></table><img src="https://img.example/a.jpg" alt="图">';
    const out = sanitizeBody(html);
    for (const part of ['<h2>', '<li>第一条</li>', 'colspan="2"', 'alt="图"']) assert.ok(out.includes(part), part);
  });
});
