import { ClientsRepo } from './clients-repo';
import type { Db } from './database';

/**
 * Values a migration added columns for but SQL cannot compute (normalising as common/ does),
 * filled in for the rows written before. Run at every open, after the migrations: each is an
 * index probe when there is nothing left to do.
 */
export function runBackfills(db: Db): void {
  new ClientsRepo(db).backfillSearchColumns();
}
