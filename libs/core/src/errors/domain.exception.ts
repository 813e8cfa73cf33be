import { Message } from '../i18n/messages';
import { formatLocalTime } from '../i18n/local-time';

/** How the HTTP edge maps a domain error kind to a status. Services never see HTTP. */
export enum ErrorKind {
  Invalid = 'invalid',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  Locked = 'locked',
  TooMany = 'too_many',
  Unavailable = 'unavailable',
}

export interface ErrorDetail {
  field?: string;
  code?: string;
  message: string;
}

export interface ErrorSpec {
  kind: ErrorKind;
  message: Message;
  /** For a state that passes by itself (TooMany, Unavailable): when a client should try again. */
  retryAfterSeconds?: number;
}

/**
 * Base of every domain's exception. Each domain declares a code enum and a catalogue mapping
 * each code to a kind and a bilingual message, then throws `new XException(XError.Code)`.
 */
export class DomainException extends Error {
  constructor(
    readonly code: string,
    readonly spec: ErrorSpec,
    readonly details: ErrorDetail[] = [],
    readonly params: Record<string, string | number | Date | Message> = {},
  ) {
    super(`${code}: ${fill(spec.message.en, params, 'en')}`);
    this.name = new.target.name;
  }

  text(lang: 'zh' | 'en'): string {
    return fill(this.spec.message[lang], this.params, lang);
  }
}

/** Times read as Beijing time, bilingual values in the message's language. */
function fill(text: string, params: Record<string, string | number | Date | Message>, lang: 'zh' | 'en'): string {
  for (const [k, v] of Object.entries(params)) {
    const value = v instanceof Date ? formatLocalTime(v, lang) : typeof v === 'object' ? v[lang] : String(v);
    text = text.replaceAll(`{${k}}`, value);
  }
  return text;
}

/** Declares a domain's exception class from its catalogue. */
export function defineDomainErrors<C extends string>(catalogue: Record<C, ErrorSpec>) {
  return class extends DomainException {
    constructor(code: C, params: Record<string, string | number | Date | Message> = {}, details: ErrorDetail[] = []) {
      super(code, catalogue[code], details, params);
    }
  };
}
