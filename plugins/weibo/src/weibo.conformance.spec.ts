import { describeConformance } from '@tongfa/plugin-sdk/testing';
import { createWeiboSimulator, weiboPlugin } from './index';

const settings = { siteUrl: 'https://www.example.gov.cn/', rip: '203.0.113.7' };

// The suite's token-expiry recovery needs a refresh token, which Weibo issues only to mobile-SDK apps;
// the web-app path (no refresh token → needs_reauth) is covered in weibo.spec.ts.
describeConformance(weiboPlugin, () => createWeiboSimulator({ refreshTokens: true }), { settings });

describeConformance(weiboPlugin, () => createWeiboSimulator({ refreshTokens: true }), {
  settings: { ...settings, headlineArticle: true, articleCoverUrl: 'https://www.example.gov.cn/img/cover.jpg' },
});
