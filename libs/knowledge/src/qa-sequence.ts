import { EntityManager } from 'typeorm';
import { QaSequence } from './entities';

export const SEARCH_SEQUENCE = 'search';
export const SYNONYM_SEQUENCE = 'synonyms';

/** Bumps a named counter inside the caller's transaction and returns the new value. */
export async function bumpSequence(m: EntityManager, name: string): Promise<number> {
  const res = await m
    .createQueryBuilder()
    .update(QaSequence)
    .set({ value: () => 'value + 1' })
    .where('name = :name', { name })
    .execute();
  if (!res.affected) {
    // First use on a database the migration did not seed: the primary key makes a racing insert fail, not double.
    await m.insert(QaSequence, { name, value: 1 });
    return 1;
  }
  return (await m.findOneByOrFail(QaSequence, { name })).value;
}

export async function readSequence(m: EntityManager, name: string): Promise<number> {
  return (await m.findOneBy(QaSequence, { name }))?.value ?? 0;
}
