// Who owns a unit of work: the use-case service that does it, never a repository. A service is
// handed this and runs its writes in it; a nested call joins the outer transaction, so a
// service may call another inside its own.
import type { Db } from './database';

export type Transaction = <T>(work: () => T) => T;

export function transactionOf(db: Db): Transaction {
  return (work) => db.transaction(work)();
}
