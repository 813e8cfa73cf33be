import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Named counters bumped inside the transaction of a change ('search': what the Q&A index shows;
 * 'synonyms': the synonym table). The bump locks the row until commit, so numbers are handed out
 * in commit order and a poller that read up to n has missed nothing below n.
 */
@Entity('qa_sequence')
export class QaSequence {
  @PrimaryColumn('varchar', { length: 32 })
  name: string;

  @Column('int')
  value: number;
}
