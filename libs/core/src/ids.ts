import { v7 } from 'uuid';

/** Time-ordered UUIDv7 ids keep InnoDB primary-key inserts sequential. */
export function newId(): string {
  return v7();
}
