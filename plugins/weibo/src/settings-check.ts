import { isIP } from 'node:net';
import type { ManuscriptInput, SettingIssue } from '@tongfa/plugin-sdk';
import { linkFor } from './render';
import { settingsOf } from './settings';

// Any manuscript: only whether a link can be built under the safe domain matters here.
const PROBE = { manuscriptId: 'probe', versionId: 'probe' } as ManuscriptInput;

/**
 * What keeps an account's settings from publishing, checked when it is connected or its settings
 * saved: a link under the app's safe domain (siteUrl or linkTemplate) and `rip` as an IP address
 * (`rip` being empty is the manifest's `required`).
 */
export function checkSettings(raw: Readonly<Record<string, string | number | boolean>>): SettingIssue[] {
  const s = settingsOf(raw);
  const issues: SettingIssue[] = [];
  const link = linkFor(PROBE, { account: { name: '' }, settings: raw });
  if (link.issue) {
    issues.push({
      setting: s.linkTemplate ? 'linkTemplate' : 'siteUrl',
      message:
        s.linkTemplate || s.siteUrl
          ? {
              zh: `微博须含安全域名下的链接：${link.issue.message.split(' / ')[0]}`,
              en: `A weibo must link under the safe domain: ${link.issue.message.split(' / ')[1] ?? link.issue.message}`,
            }
          : {
              zh: '微博须含安全域名下的链接：请填写“单位网站地址”（siteUrl）或“稿件公开网址模板”（linkTemplate）',
              en: 'A weibo must link under the safe domain: set siteUrl or linkTemplate',
            },
    });
  }
  if (s.rip && !isIP(s.rip)) {
    issues.push({
      setting: 'rip',
      message: { zh: 'rip 须为 IP 地址，如 203.0.113.7', en: 'rip must be an IP address, e.g. 203.0.113.7' },
    });
  }
  return issues;
}
