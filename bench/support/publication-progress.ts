import type { Repository } from 'typeorm';
import type { PublicationTarget } from '@tongfa/publishing';

/** End states of a target: nothing more happens to it without a person. */
export const SETTLED_STATES = ['published', 'failed', 'unconfirmed', 'needs_reauth'];

/** How far a publication's fan-out is: targets settled, and every state's count as one line. */
export async function publicationProgress(
  repo: Repository<PublicationTarget>,
  publicationId: string,
): Promise<{ settled: number; line: string }> {
  const rows = await repo
    .createQueryBuilder('t')
    .select('t.state', 'state')
    .addSelect('COUNT(*)', 'n')
    .where('t.publicationId = :id', { id: publicationId })
    .groupBy('t.state')
    .getRawMany<{ state: string; n: string }>();
  return {
    settled: rows.filter((r) => SETTLED_STATES.includes(r.state)).reduce((s, r) => s + Number(r.n), 0),
    line: rows.map((r) => `${r.state} ${r.n}`).join(', '),
  };
}
