import type { Lang } from '@tongfa/core';

/**
 * The language half of a bilingual text. Domain code writes detail messages as `中文 / English`
 * (one string, readable in logs and tests); a person reads only the half of their language.
 * A text that is not of that shape (one language, or a slash inside a value) passes unchanged.
 */
export function localizeText(text: string, lang: Lang): string {
  const cut = text.lastIndexOf(' / ');
  if (cut <= 0) return text;
  const zh = text.slice(0, cut).trim();
  const en = text.slice(cut + 3).trim();
  // Chinese first, English second: the only shape split, so a path like "a / b" stays whole.
  if (!/[\u3400-\u9fff]/.test(zh) || /[\u3400-\u9fff]/.test(en) || !/^[A-Za-z0-9"'‘“(]/.test(en)) return text;
  return lang === 'en' ? en : zh;
}

/** Names of request fields as a person knows them; the API keeps the machine path in `details[].field`. */
const LABELS: Record<string, { zh: string; en: string }> = {
  accountIds: { zh: '发布账号', en: 'accounts' },
  accountId: { zh: '账号', en: 'account' },
  unitId: { zh: '单位', en: 'unit' },
  parentId: { zh: '上级单位', en: 'parent unit' },
  name: { zh: '名称', en: 'name' },
  title: { zh: '标题', en: 'title' },
  summary: { zh: '摘要', en: 'summary' },
  body: { zh: '正文', en: 'body' },
  category: { zh: '稿件类别', en: 'category' },
  source: { zh: '来源', en: 'source' },
  unitName: { zh: '来源单位', en: 'source unit' },
  url: { zh: '链接', en: 'link' },
  link: { zh: '链接', en: 'link' },
  coverMediaId: { zh: '封面图', en: 'cover image' },
  mediaIds: { zh: '图片', en: 'images' },
  // A picture's caption in the media library, a Douyin caption in an adaptation: words that go with it.
  caption: { zh: '说明文字', en: 'caption' },
  alt: { zh: '替代文本', en: 'alt text' },
  adaptations: { zh: '各平台适配', en: 'adaptations' },
  text: { zh: '文案', en: 'text' },
  topics: { zh: '话题', en: 'topics' },
  coverCrop: { zh: '封面裁剪', en: 'cover crop' },
  weibo: { zh: '微博', en: 'Weibo' },
  wechat: { zh: '微信公众号', en: 'WeChat' },
  douyin: { zh: '抖音', en: 'Douyin' },
  toutiao: { zh: '今日头条', en: 'Toutiao' },
  nanfang: { zh: '南方号', en: 'Nanfang+' },
  scheduledAt: { zh: '定时发布时间', en: 'scheduled time' },
  plannedAt: { zh: '计划发布时间', en: 'planned time' },
  confirmNotPublished: { zh: '已核实平台上没有这篇稿件', en: 'confirmation that the post is not there' },
  targetState: { zh: '平台发布状态', en: 'target state' },
  username: { zh: '用户名', en: 'username' },
  displayName: { zh: '姓名', en: 'display name' },
  password: { zh: '密码', en: 'password' },
  currentPassword: { zh: '当前密码', en: 'current password' },
  newPassword: { zh: '新密码', en: 'new password' },
  otp: { zh: '动态验证码', en: 'one-time code' },
  recoveryCode: { zh: '恢复码', en: 'recovery code' },
  code: { zh: '验证码', en: 'code' },
  roles: { zh: '角色', en: 'roles' },
  role: { zh: '角色', en: 'role' },
  level: { zh: '级别', en: 'level' },
  creditCode: { zh: '统一社会信用代码', en: 'credit code' },
  regionCode: { zh: '行政区划代码', en: 'region code' },
  platform: { zh: '平台', en: 'platform' },
  platformAccountId: { zh: '平台账号 ID', en: 'platform account id' },
  verifiedSubject: { zh: '认证主体', en: 'verified subject' },
  settings: { zh: '账号设置', en: 'settings' },
  credentials: { zh: '凭据', en: 'credentials' },
  decision: { zh: '审核结论', en: 'decision' },
  comment: { zh: '意见', en: 'comment' },
  reason: { zh: '理由', en: 'reason' },
  chains: { zh: '审核流程', en: 'review chains' },
  steps: { zh: '审核环节', en: 'steps' },
  minimums: { zh: '最低审核要求', en: 'minimums' },
  minSteps: { zh: '最少环节数', en: 'minimum steps' },
  deadline: { zh: '截止时间', en: 'deadline' },
  platforms: { zh: '平台', en: 'platforms' },
  targets: { zh: '任务对象', en: 'targets' },
  unitIds: { zh: '单位', en: 'units' },
  reminders: { zh: '提醒', en: 'reminders' },
  instructions: { zh: '任务说明', en: 'instructions' },
  question: { zh: '标准问题', en: 'question' },
  answer: { zh: '答案', en: 'answer' },
  keywords: { zh: '关键词', en: 'keywords' },
  page: { zh: '页码', en: 'page' },
  pageSize: { zh: '每页条数', en: 'page size' },
  sort: { zh: '排序', en: 'sort' },
  // 政务微信 / 钉钉 notification bots.
  provider: { zh: '机器人类型', en: 'bot type' },
  kinds: { zh: '推送的通知类型', en: 'notification kinds' },
  key: { zh: 'Webhook 密钥', en: 'webhook key' },
  accessToken: { zh: '钉钉 access_token', en: 'DingTalk access_token' },
  signSecret: { zh: '加签密钥', en: 'signing secret' },
  enabled: { zh: '启用', en: 'enabled' },
};

/**
 * Labels that hold their position themselves (`第 2 层`, `layer 2`), keyed `parent>key` where the
 * same name means something else elsewhere (`steps` of a review chain). The label after one of
 * them runs on without a separator: `layers.0.userIds.1` → 第 1 层值班人第 2 位.
 */
const POSITIONED: Record<string, { zh: string; en: string; one?: { zh: string; en: string } }> = {
  layers: { zh: '第 {n} 层', en: 'layer {n}', one: { zh: '值班层', en: 'layers' } },
  'layers>userIds': { zh: '值班人第 {n} 位', en: 'person {n}', one: { zh: '值班人', en: 'people' } },
  'policy>steps': { zh: '升级第 {n} 步', en: 'escalation step {n}', one: { zh: '升级步骤', en: 'escalation steps' } },
};
/** Field names of one context (the duty schedule's layers and escalation policy). */
const IN_CONTEXT: Record<string, { zh: string; en: string }> = {
  'layers>name': { zh: '名称', en: 'name' },
  'layers>rotation': { zh: '轮换周期', en: 'rotation' },
  'layers>handoff': { zh: '交接时间', en: 'handoff' },
  'layers>startDate': { zh: '首班日期', en: 'first shift date' },
  'layers>days': { zh: '适用日期', en: 'days' },
  'steps>afterMinutes': { zh: '等待分钟数', en: 'minutes to wait' },
  'steps>notify': { zh: '通知对象', en: 'whom to notify' },
  'notify>kind': { zh: '通知对象', en: 'whom to notify' },
  'notify>userId': { zh: '通知人员', en: 'person to notify' },
  'policy>repeat': { zh: '重复次数', en: 'repeats' },
};
/** A parent named by its child's label alone (`policy.steps.0` → 升级第 1 步, not 升级策略 › 升级第 1 步). */
const SILENT_PARENTS = new Set(['policy', 'notify']);

/**
 * `accountIds[5]` → 发布账号第 6 项; `source.unitName` → 来源 › 来源单位; `layers.0.userIds.1`
 * (class-validator's form of a position) → 第 1 层值班人第 2 位; unknown names stay as they are
 * (the field is still named, only less kindly).
 */
export function fieldLabel(path: string, lang: Lang): string {
  const segs = path.replace(/\.(\d+)(?=\.|$)/g, '[$1]').split('.');
  let text = '';
  let glued = false;
  let parent = '';
  for (const [i, seg] of segs.entries()) {
    const m = /^([A-Za-z_$][\w$]*)?((?:\[\d+\])*)$/.exec(seg);
    if (!m) return path;
    const [, key = '', indexes] = m;
    const positions = (indexes!.match(/\d+/g) ?? []).map((ix) => Number(ix) + 1);
    const positioned = POSITIONED[`${parent}>${key}`] ?? POSITIONED[key];
    const last = i === segs.length - 1;
    let part: string;
    let glue = false;
    if (positioned && positions.length) {
      part = positioned[lang].replace('{n}', String(positions[0]));
      glue = true;
    } else if (SILENT_PARENTS.has(key) && !last && !positions.length) {
      parent = key;
      continue;
    } else {
      part = positioned?.one?.[lang] ?? IN_CONTEXT[`${parent}>${key}`]?.[lang] ?? LABELS[key]?.[lang] ?? key;
      for (const n of positions.slice(positioned ? 1 : 0)) part += lang === 'en' ? ` #${n}` : `第 ${n} 项`;
    }
    text = !text ? part : glued ? text + (lang === 'en' ? ', ' : '') + part : `${text} › ${part}`;
    glued = glue;
    parent = key;
  }
  return text;
}
