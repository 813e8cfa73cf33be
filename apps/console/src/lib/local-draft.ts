import type { Source } from '../api/types';
import type { Adaptations } from './adaptations';

/**
 * What the editor holds that the hub may not have yet: kept in this browser from the first
 * keystroke (autosave waits for a title and a pause), so a reload or a crash loses nothing. Per
 * user and manuscript (`new` before the first save); dropped once the hub has it, and all of a
 * user's on signing out.
 */
export interface LocalDraft {
  title: string;
  summary: string;
  category?: string;
  source?: Source;
  body: string;
  mediaIds: string[];
  coverMediaId?: string | null;
  adaptations?: Adaptations | null;
  /** When it was written (ms since the epoch). */
  savedAt: number;
  /** The hub's version these changes were made on; a draft on an older version is stale. */
  baseVersion: number | null;
}

const PREFIX = 'tongfa.draft.';
const keyOf = (userId: string, id: string | null) => `${PREFIX}${userId}.${id ?? 'new'}`;

export function readLocalDraft(userId: string, id: string | null): LocalDraft | null {
  try {
    const raw = localStorage.getItem(keyOf(userId, id));
    const d = raw ? (JSON.parse(raw) as LocalDraft) : null;
    return d && typeof d.body === 'string' && typeof d.savedAt === 'number' ? d : null;
  } catch {
    return null;
  }
}

export function writeLocalDraft(userId: string, id: string | null, draft: LocalDraft): void {
  try {
    localStorage.setItem(keyOf(userId, id), JSON.stringify(draft));
  } catch {
    /* storage full or refused: autosave to the hub still runs */
  }
}

export function dropLocalDraft(userId: string, id: string | null): void {
  localStorage.removeItem(keyOf(userId, id));
}

/** On signing out: nothing of this user's unsaved text stays in the browser. */
export function dropLocalDrafts(userId: string): void {
  for (const k of Object.keys(localStorage)) if (k.startsWith(`${PREFIX}${userId}.`)) localStorage.removeItem(k);
}
