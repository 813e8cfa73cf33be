import { CheckResult, Field, Finding, fingerprint } from '../finding';
import { htmlToPlain } from '../text/html-text';
import { MappedText, normalize, normalizeTerm, toOriginal } from '../text/normalize';
import { findPersonalNumbers } from '../text/personal-numbers';
import { CompiledLexicon, PatternMatch } from './compiled-lexicon';
import { checkImages, ImageDescriptor, PlatformImageLimits } from './images';
import { messageFor } from './messages';

export interface ManuscriptSource {
  type: 'original' | 'reprint';
  /** 稿源单位 of a reprint. */
  unitName?: string | null;
  url?: string | null;
}

export interface CheckInput {
  title?: string | null;
  summary?: string | null;
  /** The body as HTML. */
  bodyHtml?: string | null;
  source?: ManuscriptSource | null;
  images?: readonly ImageDescriptor[];
  imageLimits?: readonly PlatformImageLimits[];
  /** Ids of personal-data findings a reviewer marked as intended to publish. */
  acknowledged?: readonly string[];
  /**
   * Source units vouched for by the caller besides the lexicon's 稿源单位: the units above the
   * manuscript's unit in the tree (a superior government office is a source by definition).
   */
  trustedSources?: readonly string[];
}

export interface CheckOptions {
  /** "Today" for dates of birth in resident ID numbers. */
  today?: Date;
}

/** A field's text: its plain text and, for the body, the map of each character to the HTML. */
interface FieldText {
  field: Field;
  text: string;
  html?: MappedText;
}

/**
 * The five checks (五关) over one manuscript, against one compiled lexicon. Pure: no I/O, so the
 * same function serves the editor's live check, submission and the final check before publishing.
 */
export function runCheck(lexicon: CompiledLexicon, input: CheckInput, opts: CheckOptions = {}): CheckResult {
  const fields: FieldText[] = [];
  if (input.title) fields.push({ field: 'title', text: input.title });
  if (input.summary) fields.push({ field: 'summary', text: input.summary });
  const findings: Finding[] = [];
  if (input.bodyHtml) {
    const { plain, links } = htmlToPlain(input.bodyHtml);
    fields.push({ field: 'body', text: plain.text, html: plain });
    for (const link of links) {
      const host = hostOf(link.href);
      if (host && !lexicon.hostAllowed(host)) {
        findings.push(
          linkFinding(
            host,
            'body',
            link.start,
            link.end,
            plain.text.slice(link.start, link.end) || link.href,
            link.htmlStart,
            link.htmlEnd,
          ),
        );
      }
    }
  }
  for (const f of fields) {
    findings.push(...lexiconFindings(lexicon, f), ...personalData(f, opts.today ?? new Date()), ...bareLinks(lexicon, f));
  }
  findings.push(...sourceFindings(lexicon, input.source, input.trustedSources ?? []));
  if (input.images?.length) findings.push(...checkImages(input.images, input.imageLimits ?? []));

  const acknowledged = new Set(input.acknowledged ?? []);
  const blocking: Finding[] = [];
  const warnings: Finding[] = [];
  const order: Field[] = ['title', 'summary', 'body', 'source', 'image'];
  findings.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field) || a.start - b.start || a.end - b.end);
  for (const f of dedupe(findings)) {
    if (f.category === 'privacy' && acknowledged.has(f.id)) warnings.push({ ...f, acknowledged: true });
    else (f.severity === 'block' ? blocking : warnings).push(f);
  }
  return { ok: blocking.length === 0, blocking, warnings, lexiconVersion: lexicon.version };
}

function located(f: FieldText, start: number, end: number): Pick<Finding, 'field' | 'start' | 'end' | 'text' | 'htmlStart' | 'htmlEnd'> {
  const at: Pick<Finding, 'field' | 'start' | 'end' | 'text' | 'htmlStart' | 'htmlEnd'> = {
    field: f.field,
    start,
    end,
    text: f.text.slice(start, end),
  };
  if (f.html) {
    const h = toOriginal(f.html, start, end);
    at.htmlStart = h.start;
    at.htmlEnd = h.end;
  }
  return at;
}

function lexiconFindings(lexicon: CompiledLexicon, f: FieldText): Finding[] {
  const m = normalize(f.text);
  const out: Finding[] = [];
  for (const hit of outermost(lexicon.scan(m))) {
    const { start, end } = toOriginal(m, hit.begin, hit.end);
    const p = hit.pattern;
    const value = m.text.slice(hit.begin, hit.end);
    if (p.rule === 'leader_title') {
      const wrong = wrongTitle(lexicon, p.titles ?? [], f.text, start, end);
      if (!wrong) continue;
      out.push({
        id: fingerprint(p.rule, `${value}|${wrong.title}`),
        rule: p.rule,
        category: p.category,
        severity: 'block',
        ...located(f, wrong.start, wrong.end),
        message: messageFor(p.rule, { name: f.text.slice(start, end), found: wrong.title, suggestion: p.suggestion ?? '' }),
        suggestion: p.suggestion,
      });
      continue;
    }
    const text = f.text.slice(start, end);
    out.push({
      id: fingerprint(p.rule, value),
      rule: p.rule,
      category: p.category,
      severity: p.severity,
      ...located(f, start, end),
      message: messageFor(p.rule, { term: p.term, text, suggestion: p.suggestion ?? '' }),
      ...(p.suggestion !== undefined ? { suggestion: p.suggestion } : {}),
    });
  }
  return out;
}

/** Drops a match lying inside a longer match of the same rule (法轮 inside 法轮功). */
function outermost(hits: PatternMatch[]): PatternMatch[] {
  const sorted = [...hits].sort((a, b) => a.begin - b.begin || b.end - a.end);
  const kept: PatternMatch[] = [];
  const reach = new Map<string, number>();
  for (const h of sorted) {
    if ((reach.get(h.pattern.rule) ?? -1) >= h.end) continue;
    kept.push(h);
    reach.set(h.pattern.rule, Math.max(reach.get(h.pattern.rule) ?? -1, h.end));
  }
  return kept;
}

/**
 * The title written right before or right after a leader's name, if it is a known title that is
 * not the leader's: the longest known title wins, so 副市长 is not read as 市长. Looked up in the
 * text as written (separators kept): a title belongs to the name it touches, not to one across a 、.
 */
function wrongTitle(
  lexicon: CompiledLexicon,
  own: string[],
  text: string,
  start: number,
  end: number,
): { title: string; start: number; end: number } | null {
  const before = normalize(text.slice(Math.max(0, start - 24), start).replace(/\s+$/u, ''), { keepFillers: true });
  const after = normalize(text.slice(end, end + 24).replace(/^\s+/u, ''), { keepFillers: true });
  for (const title of lexicon.titles) {
    if (before.text.endsWith(title)) {
      if (own.includes(title)) break;
      const from = Math.max(0, start - 24) + before.starts[before.text.length - title.length];
      return { title: text.slice(from, start).trim(), start: from, end };
    }
  }
  for (const title of lexicon.titles) {
    if (after.text.startsWith(title)) {
      if (own.includes(title)) break;
      const lead = text.slice(end).length - text.slice(end).replace(/^\s+/u, '').length;
      const to = end + lead + after.ends[title.length - 1];
      return { title: text.slice(end, to).trim(), start, end: to };
    }
  }
  return null;
}

function personalData(f: FieldText, today: Date): Finding[] {
  return findPersonalNumbers(f.text, today).map(({ kind: rule, digits, start, end }) => ({
    id: fingerprint(rule, digits),
    rule,
    category: 'privacy',
    severity: 'block',
    ...located(f, start, end),
    message: messageFor(rule, {}),
  }));
}

const BARE_URL = /(?:https?:\/\/|www\.)[^\s<>"'\u3000-\u303f\uff01-\uff5e]+/gi;

function bareLinks(lexicon: CompiledLexicon, f: FieldText): Finding[] {
  const out: Finding[] = [];
  for (const match of f.text.matchAll(BARE_URL)) {
    const host = hostOf(match[0].replace(/[.,;:!?)\]]+$/, ''));
    if (host && !lexicon.hostAllowed(host)) {
      const at = located(f, match.index, match.index + match[0].length);
      out.push(linkFinding(host, f.field, at.start, at.end, at.text, at.htmlStart, at.htmlEnd));
    }
  }
  return out;
}

function linkFinding(host: string, field: Field, start: number, end: number, text: string, htmlStart?: number, htmlEnd?: number): Finding {
  return {
    id: fingerprint('external_link', host),
    rule: 'external_link',
    category: 'advertising',
    severity: 'block',
    field,
    start,
    end,
    ...(htmlStart !== undefined ? { htmlStart, htmlEnd } : {}),
    text,
    message: messageFor('external_link', { host }),
  };
}

/** The host of an absolute (or scheme-relative, or www.) link; null for relative, mailto:, tel: and the like. */
export function hostOf(href: string): string | null {
  const h = href.trim();
  const absolute = /^https?:\/\//i.test(h) ? h : h.startsWith('//') ? `https:${h}` : /^www\./i.test(h) ? `https://${h}` : null;
  if (!absolute) return null;
  try {
    return new URL(absolute).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

function sourceFindings(lexicon: CompiledLexicon, source: ManuscriptSource | null | undefined, trusted: readonly string[]): Finding[] {
  if (!source || source.type !== 'reprint') return [];
  const name = (source.unitName ?? '').trim();
  if (name && lexicon.isSourceUnit(name)) return [];
  if (name && trusted.some((t) => normalizeTerm(t) === normalizeTerm(name))) return [];
  return [
    {
      id: fingerprint('source_unit', normalizeTerm(name)),
      rule: 'source_unit',
      category: 'source',
      severity: 'block',
      field: 'source',
      start: 0,
      end: name.length,
      text: name,
      message: messageFor('source_unit', { text: name || '（未填写）' }),
    },
  ];
}

/** One finding per rule, field and span: overlapping dictionaries must not double-report. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.field}|${f.start}|${f.end}|${f.platform ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
