// The data file, opened the one way every caller opens it (the app, the browser host, the
// tools): the statement cache goes in before anything prepares a statement, and the file is
// migrated and backfilled before any repository reads it.
import Database from 'better-sqlite3';
import { runBackfills } from './backfills';
import { migrate } from './migrate';
import { cacheStatements } from './statement-cache';

export type Db = Database.Database;

/** `nativeBinding`: a better-sqlite3 build other than node_modules' (main/app/native-binding.ts). */
export function openDatabase(file: string, nativeBinding?: string): Db {
  const db = new Database(file, nativeBinding ? { nativeBinding } : undefined);
  cacheStatements(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  runBackfills(db);
  return db;
}
