import { AccountError, AccountException } from './accounts.exception';

export interface PlatformInfo {
  id: string;
  name: { zh: string; en: string };
}

/**
 * Which platforms exist: the port the plugin host fills with the manifests it loaded. Until a
 * host is bound, the six built-in platforms are known.
 */
export abstract class PlatformCatalog {
  abstract list(): PlatformInfo[];

  ids(): string[] {
    return this.list().map((p) => p.id);
  }

  assertKnown(id: string): void {
    if (!this.ids().includes(id))
      throw new AccountException(AccountError.UnknownPlatform, { platform: id }, [{ field: 'platform', message: id }]);
  }
}

export const BUILT_IN_PLATFORMS: PlatformInfo[] = [
  { id: 'weibo', name: { zh: '新浪微博', en: 'Weibo' } },
  { id: 'wechat', name: { zh: '微信公众号', en: 'WeChat Official Account' } },
  { id: 'douyin', name: { zh: '抖音', en: 'Douyin' } },
  { id: 'toutiao', name: { zh: '今日头条', en: 'Toutiao' } },
  { id: 'nanfang', name: { zh: '南方号', en: 'Nanfang+' } },
  { id: 'own-app', name: { zh: '自有客户端', en: 'Own app' } },
];

export class StaticPlatformCatalog extends PlatformCatalog {
  constructor(private readonly platforms: PlatformInfo[] = BUILT_IN_PLATFORMS) {
    super();
  }
  list(): PlatformInfo[] {
    return this.platforms;
  }
}
