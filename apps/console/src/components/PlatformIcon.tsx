import { CloudServerOutlined, GlobalOutlined, ReadOutlined, TikTokOutlined, WechatOutlined, WeiboOutlined } from '@ant-design/icons';

const ICONS: Record<string, typeof GlobalOutlined> = {
  wechat: WechatOutlined,
  weibo: WeiboOutlined,
  douyin: TikTokOutlined,
  toutiao: ReadOutlined,
  'own-app': CloudServerOutlined,
};

const NAMES: Record<string, [string, string]> = {
  wechat: ['微信公众号', 'WeChat'],
  weibo: ['微博', 'Weibo'],
  douyin: ['抖音', 'Douyin'],
  toutiao: ['今日头条', 'Toutiao'],
  nanfang: ['南方号', 'Nanfang+'],
  'own-app': ['本单位客户端', 'Own app'],
};

export function platformName(id: string, lang: 'zh' | 'en'): string {
  return NAMES[id]?.[lang === 'zh' ? 0 : 1] ?? id;
}

export function PlatformIcon({ platform, lang, withName = true }: { platform: string; lang: 'zh' | 'en'; withName?: boolean }) {
  const Icon = ICONS[platform] ?? GlobalOutlined;
  const name = platformName(platform, lang);
  return (
    <span data-platform={platform} style={{ whiteSpace: 'nowrap' }}>
      <Icon aria-hidden style={{ marginRight: 6 }} />
      {withName ? name : <span className="sr-only">{name}</span>}
    </span>
  );
}
