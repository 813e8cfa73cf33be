import { Injectable } from '@nestjs/common';
import { LexiconRegistry, normalize, toOriginal } from '@tongfa/compliance';

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

/**
 * Reads incoming text against the published lexicon's compiled automaton (its forbidden and sensitive
 * words only: the other checks of the compliance engine judge what we publish, not what citizens
 * write) and the 舆情 keyword list. The compiled lexicon is cached per process (LexiconRegistry), so a
 * match costs one scan, no query.
 */
@Injectable()
export class SensitiveTextDetector {
  constructor(private readonly lexicons: LexiconRegistry) {}

  async match(text: string): Promise<SensitiveMatch | null> {
    const lexicon = await this.lexicons.current();
    const m = normalize(text);
    const lexiconWords: string[] = [];
    for (const hit of lexicon.scan(m)) {
      if (hit.pattern.rule !== 'forbidden_word' && hit.pattern.rule !== 'sensitive_word') continue;
      const { start, end } = toOriginal(m, hit.begin, hit.end);
      lexiconWords.push(text.slice(start, end));
    }
    const keywords = PUBLIC_OPINION_KEYWORDS.filter((k) => text.includes(k));
    const words = [...new Set([...lexiconWords, ...keywords])];
    return words.length ? { words, lexicon: lexiconWords.length > 0 } : null;
  }
}
