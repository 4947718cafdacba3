import Database from 'better-sqlite3';
import { migrations } from './migrations';
import { ClientsRepo } from './clients-repo';

export type Db = Database.Database;

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

/**
 * Statements compiled once per SQL text: repositories prepare their SQL where it runs, which
 * reads best, and compiling it again on every call was a tenth of the CPU of a mail sync.
 * better-sqlite3 statements are reusable; none of ours is iterated, so none is ever busy.
 */
function cacheStatements(db: Db): void {
  const compile = db.prepare.bind(db);
  const compiled = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = compiled.get(sql);
    if (!statement) compiled.set(sql, (statement = compile(sql)));
    return statement;
  }) as Db['prepare'];
}

export function openDatabase(file: string): Db {
  const db = new Database(file);
  cacheStatements(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  new ClientsRepo(db).backfillSearchColumns();
  return db;
}
