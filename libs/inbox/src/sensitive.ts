import { Injectable } from '@nestjs/common';
import { ComplianceService } from '@tongfa/compliance';

/**
 * 舆情 keywords: words in a citizen's text that tell the duty officer to look now (a complaint going
 * public, an accident, a group grievance). The province's lexicon decides what is sensitive or
 * forbidden; this short list adds what is not wrong to say but urgent to hear.
 */
export const PUBLIC_OPINION_KEYWORDS: readonly string[] = [
  '投诉无门',
  '实名举报',
  '维权',
  '上访',
  '集体讨薪',
  '拖欠工资',
  '曝光',
  '媒体',
  '事故',
  '死亡',
  '受伤',
  '爆炸',
  '火灾',
  '塌方',
  '食物中毒',
  '群体',
  '堵路',
  '暴力执法',
];

export interface SensitiveMatch {
  /** The words matched: lexicon words first, then 舆情 keywords. */
  words: string[];
  /** Whether the lexicon (sensitive or forbidden words) matched, beside the keyword list. */
  lexicon: boolean;
}

/** Reads incoming text against the compliance engine's lexicon and the 舆情 keyword list. */
@Injectable()
export class SensitiveTextDetector {
  constructor(private readonly compliance: ComplianceService) {}

  async match(text: string): Promise<SensitiveMatch | null> {
    const result = await this.compliance.check({ summary: text });
    const lexiconWords = [...result.blocking, ...result.warnings]
      .filter((f) => f.rule === 'forbidden_word' || f.rule === 'sensitive_word')
      .map((f) => f.text);
    const keywords = PUBLIC_OPINION_KEYWORDS.filter((k) => text.includes(k));
    const words = [...new Set([...lexiconWords, ...keywords])];
    return words.length ? { words, lexicon: lexiconWords.length > 0 } : null;
  }
}
