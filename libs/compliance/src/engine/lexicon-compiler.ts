import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LexiconKind, LexiconTerm } from '../lexicon/lexicon-kind';
import { Severity } from '../finding';
import { CompiledLexicon, PreparedLexicon } from './compiled-lexicon';

/** Terms packed per slice, between which packTerms lets the event loop run. */
const PACK_SLICE = 5000;

/**
 * A lexicon's terms in a form that crosses to a worker thread at the cost of a few strings and one
 * typed array (the structured clone of 50,000 entry objects would itself hold the event loop):
 * every field of every term concatenated, one string per slice of PACK_SLICE terms, with each
 * field's length (-1 for null).
 */
export interface PackedTerms {
  texts: string[];
  /** kind, term, replacement, severity of each term, in that order. */
  lengths: Int32Array;
}

/** Packs terms slice by slice, yielding to the event loop between slices. */
export async function packTerms(terms: readonly LexiconTerm[]): Promise<PackedTerms> {
  const texts: string[] = [];
  const lengths = new Int32Array(terms.length * 4);
  let i = 0;
  for (let from = 0; from < terms.length; from += PACK_SLICE) {
    if (from > 0) await new Promise((r) => setImmediate(r));
    const parts: string[] = [];
    const put = (s: string | null | undefined) => {
      if (s === null || s === undefined) lengths[i++] = -1;
      else {
        parts.push(s);
        lengths[i++] = s.length;
      }
    };
    for (const t of terms.slice(from, from + PACK_SLICE)) {
      put(t.kind);
      put(t.term);
      put(t.replacement);
      put(t.severity);
    }
    texts.push(parts.join(''));
  }
  return { texts, lengths };
}

export function unpackTerms(p: PackedTerms): LexiconTerm[] {
  const out: LexiconTerm[] = [];
  let text = '';
  let at = 0;
  const take = (len: number): string | null => {
    if (len < 0) return null;
    const s = text.slice(at, at + len);
    at += len;
    return s;
  };
  for (let i = 0; i < p.lengths.length; i += 4) {
    if ((i / 4) % PACK_SLICE === 0) {
      text = p.texts[i / 4 / PACK_SLICE];
      at = 0;
    }
    const kind = take(p.lengths[i]) as LexiconKind;
    const term = take(p.lengths[i + 1]) ?? '';
    const replacement = take(p.lengths[i + 2]);
    const severity = take(p.lengths[i + 3]) as Severity | null;
    out.push({ kind, term, replacement, ...(severity ? { severity } : {}) });
  }
  return out;
}

/** The worker script (compiled next to this file). */
const WORKER = join(__dirname, 'lexicon-compiler.worker.js');

/**
 * Compiles a lexicon version in a worker thread (node:worker_threads): normalising 50,000 terms
 * and building the automaton take seconds of CPU, which on the main thread would stall every
 * request of the process. The worker transfers the prepared lexicon's typed arrays back; wrapping
 * them here costs milliseconds. One short-lived worker per version (a publish is rare).
 */
export async function compileInWorker(version: number, terms: readonly LexiconTerm[]): Promise<CompiledLexicon> {
  const packed = await packTerms(terms);
  return new Promise<CompiledLexicon>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { version, packed }, transferList: [packed.lengths.buffer as ArrayBuffer] });
    let settled = false;
    worker.once('message', (prepared: PreparedLexicon) => {
      settled = true;
      resolve(CompiledLexicon.fromPrepared(prepared));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`lexicon compiler worker exited with code ${code}`));
    });
  });
}
