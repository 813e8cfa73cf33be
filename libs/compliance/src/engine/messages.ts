import { Message } from '@tongfa/core';
import { Rule } from '../finding';

type Params = Record<string, string | number>;

const CATALOGUE: Record<Rule, Message> = {
  forbidden_word: { zh: '含禁用词“{term}”', en: 'Contains the forbidden term “{term}”' },
  sensitive_word: { zh: '含敏感词“{term}”，请审慎核实', en: 'Contains the sensitive term “{term}”; check it carefully' },
  ad_word: { zh: '含商业广告用语“{term}”', en: 'Contains the advertising term “{term}”' },
  secrecy_marker: {
    zh: '含密级或内部标志“{term}”，涉密及内部资料不得公开发布',
    en: 'Contains the secrecy marker “{term}”; classified or internal material must not be published',
  },
  typo: { zh: '疑似错别字“{text}”，应为“{suggestion}”', en: 'Likely typo “{text}”; should be “{suggestion}”' },
  nonstandard_phrase: {
    zh: '不规范表述“{text}”，应为“{suggestion}”',
    en: 'Non-standard wording “{text}”; the standard form is “{suggestion}”',
  },
  phrase_order: {
    zh: '严重表述错误：固定表述顺序有误，应为“{suggestion}”',
    en: 'Serious expression error: a fixed formulation is out of order; it is “{suggestion}”',
  },
  leader_title: {
    zh: '严重表述错误：“{name}”的职务有误（“{found}”），现职务为“{suggestion}”',
    en: 'Serious expression error: wrong title “{found}” for {name}; the current title is “{suggestion}”',
  },
  resident_id: {
    zh: '含居民身份证号码，如确需公开请由审核人员标记为有意公开',
    en: 'Contains a resident ID number; a reviewer must mark it as intended to publish it',
  },
  mobile_number: {
    zh: '含手机号码，如确需公开请由审核人员标记为有意公开',
    en: 'Contains a mobile number; a reviewer must mark it as intended to publish it',
  },
  bank_card: {
    zh: '含银行卡号，如确需公开请由审核人员标记为有意公开',
    en: 'Contains a bank card number; a reviewer must mark it as intended to publish it',
  },
  external_link: { zh: '链接指向白名单以外的站点“{host}”', en: 'Links to “{host}”, which is not on the allowlist' },
  source_unit: {
    zh: '转载稿件须来自指定稿源单位，“{text}”不在名录中',
    en: 'Reprints must come from a designated source unit; “{text}” is not on the list',
  },
  image_metadata: {
    zh: '图片仍含 EXIF 等元数据（可能含拍摄地点），发布前须清除',
    en: 'The image still carries EXIF metadata (possibly its location); strip it before publishing',
  },
  image_format: {
    zh: '{platform} 不支持 {format} 格式图片（支持 {formats}）',
    en: '{platform} does not accept {format} images (accepts {formats})',
  },
  image_bytes: {
    zh: '图片 {bytes} 字节，超过 {platform} 的上限 {max} 字节',
    en: 'The image has {bytes} bytes, over the {platform} limit of {max}',
  },
  image_dimensions: {
    zh: '图片尺寸 {width}×{height} 不符合 {platform} 的要求（{limit}）',
    en: 'The image is {width}×{height}, outside the {platform} limits ({limit})',
  },
};

export function messageFor(rule: Rule, params: Params): Message {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  const m = CATALOGUE[rule];
  return { zh: fill(m.zh), en: fill(m.en) };
}
