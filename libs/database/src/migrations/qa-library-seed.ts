import { QueryRunner } from 'typeorm';
import { newId } from '../../../core/src/ids';
import { DEFAULT_SYNONYMS } from '../../../knowledge/src/search/default-synonyms';

/**
 * Seeds the Q&A library's tables on a fresh schema (both drivers): the change sequences QaIndexSync
 * polls, and the province's synonym table as shipped (operators edit it through PUT /qa/synonyms).
 */
export async function seedQaLibrary(q: QueryRunner): Promise<void> {
  for (const name of ['search', 'synonyms']) await q.query('INSERT INTO qa_sequence (name, value) VALUES (?, ?)', [name, 0]);
  let i = 0;
  for (const g of DEFAULT_SYNONYMS) {
    await q.query('INSERT INTO qa_synonym (id, terms, sortOrder, updatedBy) VALUES (?, ?, ?, NULL)', [newId(), JSON.stringify(g.terms), i++]);
  }
}
