import type { Db } from './database';
import { migrations } from './migrations';

/** A data file written by a newer Postdesk: opening it with this one could lose what it does not know. */
export class NewerSchemaError extends Error {}

/** Brings the file to the newest schema, one transaction per migration; never goes back. */
export function migrate(db: Db, list: readonly string[] = migrations): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > list.length) {
    throw new NewerSchemaError(
      `The data file is at schema version ${current}, newer than this Postdesk knows (${list.length}). ` +
        'Update Postdesk instead of opening it with an older one.',
    );
  }
  for (let version = current + 1; version <= list.length; version++) {
    db.transaction(() => {
      db.exec(list[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return list.length;
}
