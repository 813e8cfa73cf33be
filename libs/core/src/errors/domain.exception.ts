import { Message } from '../i18n/messages';

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
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}: ${fill(spec.message.en, params)}`);
    this.name = new.target.name;
  }

  text(lang: 'zh' | 'en'): string {
    return fill(this.spec.message[lang], this.params);
  }
}

function fill(text: string, params: Record<string, string | number>): string {
  for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** Declares a domain's exception class from its catalogue. */
export function defineDomainErrors<C extends string>(catalogue: Record<C, ErrorSpec>) {
  return class extends DomainException {
    constructor(code: C, params: Record<string, string | number> = {}, details: ErrorDetail[] = []) {
      super(code, catalogue[code], details, params);
    }
  };
}
